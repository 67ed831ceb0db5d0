#!/usr/bin/env bash
# Installs the real servers of the emulator's interop tests (crates/atspec-emulator/tests/
# peers_*.rs): vsftpd, nginx and openssl from Debian packages, and the local account the
# vsftpd tests log in as (vsftpd checks local logins through PAM, so the account must be
# real). Idempotent and quiet; run as root on Debian or Ubuntu.
set -euo pipefail

# The account's name and password are the ones the tests use (tests/peers_support).
user=atspec-ftp
password=atspec-peers

if [ "$(id -u)" -ne 0 ]; then
  echo "peers.sh: run as root (it installs packages and adds the $user account)" >&2
  exit 1
fi

missing=()
command -v vsftpd >/dev/null 2>&1 || [ -x /usr/sbin/vsftpd ] || missing+=(vsftpd)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # nginx-light is gone from newer releases; nginx has the same modules the tests use.
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    missing=("${missing[@]/nginx-light/nginx}")
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# vsftpd changes to the account's home before the tests' local_root, so it must exist.
home=/var/lib/$user
if ! getent passwd "$user" >/dev/null; then
  useradd --system --home-dir "$home" --shell /bin/sh "$user"
fi
usermod --home "$home" "$user"
mkdir -p "$home"
chown "$user" "$home"
echo "$user:$password" | chpasswd
