#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every translatable string of the app's current sources (po/POTFILES.in)
# must be translated, without fuzzy entries, in each po/LINGUAS file, and
# each .po file must pass `msgfmt --check`.
set -eu
srcroot=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

xgettext --from-code=UTF-8 --add-comments --directory="$srcroot" \
  --files-from="$srcroot/po/POTFILES.in" --output="$work/fresh.pot" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 --keyword=ngettext:1,2

status=0
for lang in $(grep -v '^#' "$srcroot/po/LINGUAS"); do
  po="$srcroot/po/$lang.po"
  msgfmt --check --statistics --output-file=/dev/null "$po" 2>"$work/stats" || status=1
  cat "$work/stats" >&2
  if grep -q -E 'fuzzy|untranslated' "$work/stats"; then
    echo "$lang.po has fuzzy or untranslated messages" >&2
    status=1
  fi
  # msgcmp fails when a message of the sources is missing or untranslated.
  msgcmp "$po" "$work/fresh.pot" || { echo "$lang.po lacks strings of the sources" >&2; status=1; }
done
exit $status
