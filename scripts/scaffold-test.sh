#!/usr/bin/env bash
# Scaffolds every create-robusta-playbooks template from the packed packages, then installs,
# tests, type-checks and builds each one (templates/create-robusta-playbooks/test/scaffold.slow.ts).
# Needs the npm registry; a few minutes. KEEP_SCAFFOLDS=1 keeps the scaffolds for a look.
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx vitest run --config templates/create-robusta-playbooks/vitest.scaffold.config.ts "$@"
