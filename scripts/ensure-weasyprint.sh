#!/usr/bin/env bash
# ensure-weasyprint.sh [PYTHON]: makes sure WeasyPrint (the SKP and recap PDFs) finds Debian's
# system libraries (Pango, HarfBuzz, fonts), and that pdftotext (poppler-utils, used by the
# tests to read the PDFs back) is there. Installs the missing Debian packages with apt, and says
# which. PYTHON is the interpreter of the venv (default .venv/bin/python).
set -euo pipefail
python=${1:-.venv/bin/python}
packages=()
# -W error: WeasyPrint only warns when HarfBuzz-Subset is missing, and the test suite turns
# warnings into errors.
if "$python" -W error -c 'import weasyprint' >/dev/null 2>&1; then
  echo "weasyprint: $("$python" -c 'import weasyprint; print(weasyprint.__version__)') (system libraries found)"
else
  echo "weasyprint: cannot load its system libraries (or warns about one); installing Debian's Pango, HarfBuzz (with HarfBuzz-Subset) and fonts"
  packages+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core)
fi
if command -v pdftotext >/dev/null 2>&1; then
  echo "pdftotext: $(command -v pdftotext)"
else
  echo "pdftotext: not found; installing Debian's poppler-utils"
  packages+=(poppler-utils)
fi
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
echo "apt-get install: ${packages[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
"$python" -W error -c 'import weasyprint' && command -v pdftotext
