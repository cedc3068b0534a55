#!/usr/bin/env bash
# Fills the fuzz corpora with the seeds: the sample frameworks, the real CASE files in
# ../shared/case-samples/ (not copied into the repository) and the CSV seeds here.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/json_import corpus/csv_import
cp ../sample-frameworks/*.json corpus/json_import/
cp seeds/*.csv corpus/csv_import/
if [ -d ../../shared/case-samples ]; then
    cp ../../shared/case-samples/*.json corpus/json_import/
    cp ../../shared/case-samples/*.csv corpus/csv_import/
fi
ls corpus/json_import corpus/csv_import
