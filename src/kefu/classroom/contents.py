"""The trainee server's file browser and contents API stop at the trainee's folder — symbolic links too.

jupyter_server keeps API paths inside ``root_dir`` by comparing *absolute* paths, which does not resolve
symbolic links. A trainee's kernel (bubblewrap binds the trainee's folder read-write) can create a link
there to anything: the kit's ``assignments/`` with their answers, the cohort's ``gradebook.db`` or
``nbgrader_config.py``. The kernel itself sees none of those (hidden in its sandbox), but the server
follows the link — and under ``kefu lab`` the server runs with the trainer's rights, so the file browser
would list the keys and a save would rewrite the gradebook.

:class:`FolderContentsManager` (``ServerApp.contents_manager_class`` of every trainee server) resolves
each path and answers 404 when it ends outside the folder; such links are left out of listings.
:class:`FolderCheckpoints` does the same for the ``.ipynb_checkpoints`` folder, which a link could also
point elsewhere (a save writes a checkpoint copy there, a revert reads one back).
"""
from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path

from jupyter_server.services.contents.filecheckpoints import AsyncFileCheckpoints
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado.web import HTTPError
from traitlets import default

#: the folder whose listing is being built (``should_list`` only receives a name)
_listing: ContextVar[str | None] = ContextVar("kefu_contents_listing", default=None)


def inside(os_path: str, root: str) -> bool:
    """Whether ``os_path``, every link resolved, is ``root`` or lies below it."""
    return Path(os.path.realpath(os_path)).is_relative_to(os.path.realpath(root))


class FolderCheckpoints(AsyncFileCheckpoints):
    """jupyter_server's checkpoints, kept inside the trainee's folder."""

    def checkpoint_path(self, checkpoint_id, path):
        # checked before jupyter_server creates the folder (it would mkdir through a dangling link)
        parent = ("/" + path.strip("/")).rsplit("/", 1)[0].strip("/")
        folder = os.path.join(self._get_os_path(parent), self.checkpoint_dir)
        if not inside(folder, self.root_dir):
            raise HTTPError(404, "checkpoint folder outside the trainee's folder: %s" % path)
        return super().checkpoint_path(checkpoint_id, path)


class FolderContentsManager(AsyncLargeFileManager):
    """jupyter_server's default contents manager; a path that leads outside ``root_dir`` through a
    symbolic link is answered like a path outside it (404) and not listed."""

    @default("checkpoints_class")
    def _checkpoints_class_default(self):
        return FolderCheckpoints

    def _get_os_path(self, path):
        os_path = super()._get_os_path(path)
        if not inside(os_path, self.root_dir):
            raise HTTPError(404, "%s is outside root contents directory" % path)
        return os_path

    async def _dir_model(self, path, content=True):
        token = _listing.set(self._get_os_path(path))
        try:
            return await super()._dir_model(path, content)
        finally:
            _listing.reset(token)

    def should_list(self, name):
        folder = _listing.get()
        if folder is not None and not inside(os.path.join(folder, name), self.root_dir):
            return False
        return super().should_list(name)
