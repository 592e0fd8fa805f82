# Shared by scripts/run-demo and scripts/test: system packages and the virtual environment.
# Usage: . scripts/_setup.sh [test]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"' || exit 1

# Debian packages: a CJK font and HarfBuzz's font subsetter for PDFs (WeasyPrint), gettext; Chromium only for the test suite.
need=()
fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || need+=(fonts-wqy-microhei)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v msgfmt >/dev/null || need+=(gettext)
# WeasyPrint subsets fonts with HarfBuzz; without libharfbuzz-subset it warns on every PDF and embeds whole fonts.
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0" || need+=(libharfbuzz-subset0)
if [ "${1:-}" = "test" ]; then
  command -v chromium >/dev/null || need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo ">> installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

VENV="${GONGKAI_VENV:-$ROOT/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  echo ">> creating virtual environment $VENV"
  "$PY" -m venv "$VENV"
fi
extras=""; [ "${1:-}" = "test" ] && extras="[test]"
echo ">> installing gongkai$extras"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e ".$extras" 2>&1 | grep -v "^WARNING: Location" || true
export PATH="$VENV/bin:$PATH"
