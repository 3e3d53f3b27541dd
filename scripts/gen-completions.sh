#!/usr/bin/env bash
# Regenerate the checked-in completion scripts and man page from the CLI definition.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/stellar-obs
$bin completions bash > completions/stellar-obs.bash
$bin completions zsh > completions/_stellar-obs
$bin completions fish > completions/stellar-obs.fish
$bin completions powershell > completions/_stellar-obs.ps1
$bin completions elvish > completions/stellar-obs.elv
$bin manpage > docs/stellar-obs.1
echo "completions/ and docs/stellar-obs.1 regenerated"
