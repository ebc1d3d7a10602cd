#!/usr/bin/env bash
# Install Debian packages for commands that are missing from PATH.
#
#   scripts/ensure-packages.sh CMD:PKG [CMD:PKG ...]
#   e.g. scripts/ensure-packages.sh chromium:chromium xmllint:libxml2-utils redis-server:redis-server
#
# CMD may also be a path, glob allowed, for programs that are not put on PATH
# (e.g. '/usr/lib/postgresql/*/bin/initdb:postgresql').
# Quiet when every command is already there. Runs `apt-get update` once, only
# when something has to be installed. Uses sudo only when not root and sudo exists.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 CMD:PKG [CMD:PKG ...]" >&2
  exit 2
fi

have() {
  case "$1" in
    */*) compgen -G "$1" >/dev/null ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

missing_pkgs=()
missing_cmds=()
for spec in "$@"; do
  case "$spec" in
    *:*) cmd="${spec%%:*}" pkg="${spec#*:}" ;;
    *) echo "ensure-packages: bad argument '$spec' (want CMD:PKG)" >&2; exit 2 ;;
  esac
  if [ -z "$cmd" ] || [ -z "$pkg" ]; then
    echo "ensure-packages: bad argument '$spec' (want CMD:PKG)" >&2
    exit 2
  fi
  if ! have "$cmd"; then
    missing_cmds+=("$cmd")
    # de-duplicate packages (several commands may come from one package)
    case " ${missing_pkgs[*]-} " in
      *" $pkg "*) ;;
      *) missing_pkgs+=("$pkg") ;;
    esac
  fi
done

[ "${#missing_pkgs[@]}" -eq 0 ] && exit 0

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "ensure-packages: missing ${missing_cmds[*]}; need root or sudo to install Debian package(s): ${missing_pkgs[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-packages: missing ${missing_cmds[*]} and apt-get is not available; install package(s) by hand: ${missing_pkgs[*]}" >&2
  exit 1
fi

echo "ensure-packages: installing ${missing_pkgs[*]} (for ${missing_cmds[*]})" >&2
# Wait (up to 5 min) for the dpkg/apt locks instead of failing at once when
# another apt-get runs at the same time (e.g. a parallel make target).
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
if ! "${APT[@]}" update -qq >&2; then
  echo "ensure-packages: warning: 'apt-get update' failed; trying to install from the current package lists" >&2
fi
for pkg in "${missing_pkgs[@]}"; do
  if ! "${APT[@]}" install -y -qq --no-install-recommends "$pkg" >&2; then
    echo "ensure-packages: failed to install Debian package '$pkg'" >&2
    exit 1
  fi
done

# Verify the commands really appeared (a wrong CMD:PKG pairing is a bug to report).
hash -r
for spec in "$@"; do
  cmd="${spec%%:*}" pkg="${spec#*:}"
  if ! have "$cmd"; then
    echo "ensure-packages: installed '$pkg' but command '$cmd' is still not found" >&2
    exit 1
  fi
done
