#!/usr/bin/env bash
# data/ as data/README.md describes it (issue 13): every file its table lists is there with the
# listed size and sha256, every licence text it names is there, and the shipped files stay under
# 1 MB together. Usage: data_files_test.sh DATA_DIR
set -euo pipefail
data=${1:?usage: data_files_test.sh DATA_DIR}
readme="$data/README.md"
[[ -r "$readme" ]] || { echo "FAIL: $readme missing"; exit 1; }

fail=0 files=0 total=0
# Table rows of the Files section: | `file` | what | lines | bytes | sha256 |
while IFS='|' read -r _ file _ _ bytes sha _; do
  file=$(echo "$file" | tr -d '` ') bytes=$(echo "$bytes" | tr -d ', ') sha=$(echo "$sha" | tr -d ' ')
  files=$((files + 1))
  if [[ ! -f "$data/$file" ]]; then echo "FAIL: $file is listed but missing"; fail=1; continue; fi
  size=$(wc -c < "$data/$file")
  [[ "$size" == "$bytes" ]] || { echo "FAIL: $file has $size bytes, README says $bytes"; fail=1; }
  got=$(sha256sum "$data/$file" | cut -d' ' -f1)
  [[ "$got" == "$sha" ]] || { echo "FAIL: $file sha256 $got, README says $sha"; fail=1; }
  total=$((total + size))
done < <(sed -n '/^## Files/,/^## /p' "$readme" | grep -E '^\| `[^`]+` \|')
[[ $files -ge 10 ]] || { echo "FAIL: only $files files found in the table of $readme"; fail=1; }
[[ $total -lt 1000000 ]] || { echo "FAIL: the listed files hold $total bytes, over 1 MB"; fail=1; }

# Every licence text the Sources table names exists and is not empty.
for lic in $(grep -o 'licenses/[A-Za-z0-9.-]*\.txt' "$readme" | sort -u); do
  [[ -s "$data/$lic" ]] || { echo "FAIL: $lic is named but missing"; fail=1; }
done
[[ $fail -eq 0 ]] && echo "ok: $files files, $total bytes, checksums as listed"
exit $fail
