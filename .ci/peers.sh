#!/usr/bin/env bash
# Installs the real servers of the emulator's interop tests (crates/atspec-emulator/tests/
# peers_*.rs): vsftpd, nginx and openssl from Debian packages, and the local account the
# vsftpd tests log in as (vsftpd checks local logins through PAM, so the account must be
# real). Idempotent and quiet; run as root on Debian or Ubuntu.
set -euo pipefail

# The account's name and password are the ones the tests use (tests/peers_support).
user=atspec-ftp
password=atspec-peers

# Root, or sudo where CI runs as another user.
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "peers.sh: run as root or with sudo (it installs packages and adds the $user account)" >&2
  exit 1
fi

missing=()
command -v vsftpd >/dev/null 2>&1 || [ -x /usr/sbin/vsftpd ] || missing+=(vsftpd)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq >/dev/null
  # nginx-light is gone from newer releases; nginx has the same modules the tests use.
  if ! "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    missing=("${missing[@]/nginx-light/nginx}")
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# vsftpd changes to the account's home before the tests' local_root, so it must exist.
home=/var/lib/$user
if ! getent passwd "$user" >/dev/null; then
  "${as_root[@]}" useradd --system --home-dir "$home" --shell /bin/sh "$user"
fi
"${as_root[@]}" usermod --home "$home" "$user" 2>/dev/null || true
"${as_root[@]}" mkdir -p "$home"
"${as_root[@]}" chown "$user" "$home"
echo "$user:$password" | "${as_root[@]}" chpasswd
