"""The cohort hub's ``jupyterhub_config.py`` (written into ``<cohort>/hub/`` at each ``kefu hub up``).

Plain literals only, so a trainer can read what the hub was started with.
"""
from __future__ import annotations

import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .users import HubUser

CULLER_SERVICE = "idle-culler"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def trainee_group(course_id: str) -> str:
    return f"nbgrader-{course_id}"


def grader_group(course_id: str) -> str:
    return f"formgrade-{course_id}"


def culler_available() -> bool:
    try:
        import jupyterhub_idle_culler  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class HubSettings:
    course_dir: Path
    course_id: str
    users: list[HubUser]
    port: int
    proxy_command: list[str]
    formgrader_config_path: Path
    app_settings_dir: Path
    cull_timeout: int = 3600
    hub_port: int = field(default_factory=free_port)
    proxy_api_port: int = field(default_factory=free_port)
    formgrader_port: int = field(default_factory=free_port)
    bin_dir: Path = field(default_factory=lambda: Path(sys.executable).parent)
    extra_env: dict[str, str] = field(default_factory=dict)

    def render(self) -> str:
        cid = self.course_id
        trainees = [u.hub_name for u in self.users if u.role == "trainee"]
        graders = [u.hub_name for u in self.users if u.role == "grader"]
        hub_state = self.course_dir / "hub"
        singleuser = str(self.bin_dir / "jupyterhub-singleuser")
        env = {"PATH": f"{self.bin_dir}:/usr/local/bin:/usr/bin:/bin", **self.extra_env}
        services = [{
            "name": cid,
            "display": True,
            "oauth_no_confirm": True,
            "url": f"http://127.0.0.1:{self.formgrader_port}",
            # the formgrader is the trainer's tool over the trainer's files: it runs as the hub's user
            "command": [singleuser, "--allow-root", f"--ServerApp.root_dir={self.course_dir}",
                        f"--LabApp.app_settings_dir={self.app_settings_dir}"],
            "cwd": str(self.course_dir),
            "environment": {**env, "JUPYTERHUB_DEFAULT_URL": "/formgrader",
                            "JUPYTER_CONFIG_PATH": str(self.formgrader_config_path), "LANG": "zh_CN.UTF-8"},
        }]
        roles = [{
            "name": f"kefu-graders-{cid}",
            "groups": [grader_group(cid)],
            "scopes": [f"access:services!service={cid}"],
        }]
        if culler_available():
            services.append({
                "name": CULLER_SERVICE,
                "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={self.cull_timeout}"],
                "environment": env,
            })
            roles.append({
                "name": CULLER_SERVICE,
                "services": [CULLER_SERVICE],
                "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            })
        lines = [
            "# JupyterHub configuration of a kefu-kit cohort (written by `kefu hub up`; rewritten at each start).",
            "c = get_config()  # noqa: F821",
            "c.JupyterHub.ip = '127.0.0.1'",
            f"c.JupyterHub.port = {self.port}",
            "c.JupyterHub.hub_ip = '127.0.0.1'",
            f"c.JupyterHub.hub_port = {self.hub_port}",
            f"c.JupyterHub.db_url = {'sqlite:///' + str(hub_state / 'jupyterhub.sqlite')!r}",
            f"c.JupyterHub.cookie_secret_file = {str(hub_state / 'jupyterhub_cookie_secret')!r}",
            f"c.ConfigurableHTTPProxy.command = {self.proxy_command!r}",
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{self.proxy_api_port}'",
            f"c.ConfigurableHTTPProxy.pid_file = {str(hub_state / 'proxy.pid')!r}",
            "c.JupyterHub.cleanup_servers = True",
            "c.JupyterHub.cleanup_proxy = True",
            "c.JupyterHub.authenticator_class = 'kefu.hub.authenticator.KefuAuthenticator'",
            f"c.KefuAuthenticator.course_dir = {str(self.course_dir)!r}",
            f"c.Authenticator.allowed_users = {set(trainees + graders)!r}",
            "c.Authenticator.admin_users = set()",
            "c.JupyterHub.spawner_class = 'kefu.hub.spawner.KefuSpawner'",
            f"c.KefuSpawner.course_dir = {str(self.course_dir)!r}",
            f"c.Spawner.cmd = [{singleuser!r}]",
            "c.Spawner.default_url = '/lab'",
            "c.Spawner.start_timeout = 120",
            "c.Spawner.http_timeout = 90",
            f"c.Spawner.environment = {self.extra_env!r}",
            f"c.JupyterHub.load_groups = {{{trainee_group(cid)!r}: {{'users': {trainees!r}}},"
            f" {grader_group(cid)!r}: {{'users': {graders!r}}}}}",
            f"c.JupyterHub.load_roles = {roles!r}",
            f"c.JupyterHub.services = {services!r}",
            "",
            "_GRADERS = " + repr(set(graders)),
            f"_FORMGRADER = '/services/{cid}/formgrader'",
            "",
            "def _default_url(handler):",
            "    # graders have no server of their own: straight to the formgrader, in its own tab",
            "    user = handler.current_user",
            "    return _FORMGRADER if user is not None and user.name in _GRADERS else ''",
            "",
            "c.JupyterHub.default_url = _default_url",
        ]
        return "\n".join(lines) + "\n"

    def write(self) -> Path:
        path = self.course_dir / "hub" / "jupyterhub_config.py"
        path.write_text(self.render(), encoding="utf-8")
        path.chmod(0o600)
        return path
