#!/usr/bin/env bash
# Installs the published Python modem libraries that the third-party client tests
# (crates/atspec-emulator/tests/third_party.rs) run against the emulator: gsmHat
# (SIM800/SIM808) and Adafruit's ESP_ATcontrol (ESP-AT), into a virtual environment
# under the target directory. Quiet and idempotent: a second run checks and returns.
# Prints the environment's interpreter on stdout, for ATSPEC_PYTHON; all else on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${CARGO_TARGET_DIR:-target}/third-party-clients"
case "$venv" in /*) ;; *) venv="$PWD/$venv" ;; esac
python="$venv/bin/python"
harness=crates/atspec-emulator/tests/third_party
check() {
  PYTHONPATH="$harness/stubs" "$python" "$harness/clients.py" check >/dev/null 2>&1
}

if [ -x "$python" ] && check; then
  echo "$python"
  exit 0
fi

# Debian ships venv support in its own package.
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq python3-venv >&2
fi
python3 -m venv --clear "$venv" >&2
pip=("$python" -m pip --quiet --disable-pip-version-check --no-input)
"${pip[@]}" install "adafruit-circuitpython-esp-atcontrol==0.11.7" "pyserial==3.5" >&2
# gsmHat declares `serial` (an unrelated package whose `serial` module shadows pyserial's)
# and `datetime` (Zope's DateTime, unused: gsmHat imports the standard datetime). Its own
# code needs pyserial only, installed above, so its declared dependencies are skipped.
"${pip[@]}" install --no-deps "gsmHat==0.4.2" >&2

if ! check; then
  echo "the installed libraries do not import; run: PYTHONPATH=$harness/stubs $python $harness/clients.py check" >&2
  exit 1
fi
echo "$python"
