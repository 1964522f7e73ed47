#!/usr/bin/env bash
# Installs the Debian packages the kit's tests and the one-machine classroom drive for real, when missing:
# chromium (browser tests; Playwright's own browser download fails here), bubblewrap + util-linux (the
# grading sandbox's namespaces), postgresql (the gradebook-on-PostgreSQL test and `kefu hub --db`).
# Needs root (apt-get); without it, prints what is missing and leaves the decision to the tests, which
# refuse or fail with a reason rather than skip silently.
set -uo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "warning: missing Debian packages (${need[*]}); install them as root: apt-get install ${need[*]}" >&2
  exit 0
fi
echo "installing Debian packages: ${need[*]}"
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null) \
  || echo "warning: could not install ${need[*]}" >&2
