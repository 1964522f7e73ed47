#!/usr/bin/env bash
# Installs the Debian packages the kit's tests and the one-machine classroom drive for real, when missing:
# chromium (browser tests; Playwright's own browser download fails here) with fonts-noto-cjk, bubblewrap + util-linux (the
# grading sandbox's namespaces), postgresql (the gradebook-on-PostgreSQL test and `kefu hub --db`).
# Needs root (apt-get); without it, prints what is missing and leaves the decision to the tests, which
# refuse or fail with a reason rather than skip silently.
set -uo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# a CJK font for Chromium, so browser screenshots of the Chinese UI show characters, not boxes
ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "warning: missing Debian packages (${need[*]}); install them as root: apt-get install ${need[*]}" >&2
  else
    echo "installing Debian packages: ${need[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null) \
      || echo "warning: could not install ${need[*]}" >&2
  fi
fi
# The hub runs each trainee's server as the trainee's own OS account, with the kit's Python: every folder
# above the Python installation and the kit must be enterable (o+x: traverse, not list) by those accounts.
# A pyenv Python under /root is the usual obstacle. Only root may change that; `kefu hub up` refuses with a
# Chinese message naming the folder when it is still closed.
if [ "$(id -u)" = 0 ]; then
  py=${KEFU_PYTHON:-.venv/bin/python}
  base=$("$py" -c 'import sys; print(sys.base_prefix)' 2>/dev/null || true)
  for top in "$base" "$(pwd -P)"; do
    d=$top
    while [ -n "$d" ] && [ "$d" != / ]; do
      if [ -d "$d" ] && [ "$(stat -c %A "$d" | cut -c10)" != x ] && [ "$(stat -c %A "$d" | cut -c10)" != t ]; then
        echo "making $d enterable by the trainees' accounts (chmod o+x) for kefu hub"
        chmod o+x "$d"
      fi
      d=$(dirname "$d")
    done
  done
fi
