#!/bin/sh
# make-binaries.sh regenerates the PDF and DOCX of the sample case from their
# HTML sources in src/ with LibreOffice (soffice), which must be installed.
# The outputs are committed; run this only after editing a source.
set -eu
cd "$(dirname "$0")"
command -v soffice >/dev/null || { echo "make-binaries.sh: soffice (LibreOffice) not found" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A private profile keeps this run independent of any other LibreOffice instance.
lo() { soffice -env:UserInstallation="file://$tmp/profile" --headless "$@" --outdir "$tmp/out" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }; }
lo --infilter="HTML (StarWriter)" --convert-to pdf:writer_pdf_Export src/briefing-2016-05-20-ramadan-threat.html
lo --infilter="HTML (StarWriter)" --convert-to docx:"MS Word 2007 XML" src/assessment-2016-07-15-jat-external-operations.html
# The PDF would carry today's date; give it the briefing's own date instead
# (same length, so the cross-reference offsets stay valid).
perl -0777 -pi -e 's/CreationDate\(D:\d{14}/CreationDate(D:20160520110000/' "$tmp/out/briefing-2016-05-20-ramadan-threat.pdf"
cp "$tmp/out/briefing-2016-05-20-ramadan-threat.pdf" case/dib-surveillance/
cp "$tmp/out/assessment-2016-07-15-jat-external-operations.docx" case/dib-surveillance/
ls -l case/dib-surveillance/*.pdf case/dib-surveillance/*.docx
