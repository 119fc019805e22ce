#!/usr/bin/env bash
# Creates a Switchboard scratch org: the org, the package source, the admin permission set and sample data.
set -euo pipefail

# shellcheck source=scripts/_common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/_common.sh"

usage() {
  cat <<'EOF'
Usage: scripts/scratch-org.sh [--person-accounts] [--alias NAME] [options]

Creates a scratch org for Switchboard, deploys force-app, assigns the Switchboard_Admin permission set to
the default scratch org user and imports sample data (Accounts, Contacts and Leads with messy phone numbers,
and a "Default sync" record in status Not started).

Options:
  --person-accounts        Use config/project-scratch-def-person-accounts.json (Person Accounts enabled) and
                           also import a few Person Accounts. Default: config/project-scratch-def.json.
  --alias NAME             Alias of the new scratch org (default: switchboard, or switchboard-pa with
                           --person-accounts). The org also becomes the project's default org.
  --duration-days N        Days before the scratch org expires, 1-30 (default: 7).
  --target-dev-hub ALIAS   Dev Hub to create the org in (default: the CLI's configured target-dev-hub).
  --no-sample-data         Skip the sample data import.
  --dry-run                Print the sf commands instead of running them (no org or network needed).
  -h, --help               Show this help.

Needs: Salesforce CLI v2 (sf) authorised to a Dev Hub, and Node.js (for --person-accounts).
Example: scripts/scratch-org.sh --person-accounts --alias sb-pa --duration-days 3
EOF
}

person_accounts=false
alias_name=""
duration_days=7
dev_hub=""
sample_data=true

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --person-accounts) person_accounts=true; shift ;;
    --alias) need_value "$1" "${2-}"; alias_name="$2"; shift 2 ;;
    --duration-days) need_value "$1" "${2-}"; duration_days="$2"; shift 2 ;;
    --target-dev-hub) need_value "$1" "${2-}"; dev_hub="$2"; shift 2 ;;
    --no-sample-data) sample_data=false; shift ;;
    --dry-run) DRY_RUN=true; shift ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

if [[ -z "$alias_name" ]]; then
  alias_name=$([[ "$person_accounts" == true ]] && echo switchboard-pa || echo switchboard)
fi
[[ "$alias_name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] ||
  die "--alias '$alias_name': use letters, digits, '.', '_' or '-'"
[[ "$duration_days" =~ ^[0-9]+$ ]] && ((duration_days >= 1 && duration_days <= 30)) ||
  die "--duration-days '$duration_days': a whole number of days from 1 to 30"

definition_file="config/project-scratch-def.json"
[[ "$person_accounts" == true ]] && definition_file="config/project-scratch-def-person-accounts.json"

cd "$PROJECT_DIR"
[[ -f "$definition_file" ]] || die "$definition_file not found in $PROJECT_DIR"
[[ "$DRY_RUN" == true ]] || need_sf

dev_hub_args=()
[[ -n "$dev_hub" ]] && dev_hub_args=(--target-dev-hub "$dev_hub")

info "Creating scratch org '$alias_name' from $definition_file ($duration_days days)"
run sf org create scratch \
  --definition-file "$definition_file" \
  --alias "$alias_name" \
  --duration-days "$duration_days" \
  --set-default \
  --wait 20 \
  ${dev_hub_args[@]+"${dev_hub_args[@]}"}

info "Deploying force-app"
run sf project deploy start --source-dir force-app --target-org "$alias_name" --wait 30

info "Assigning the Switchboard_Admin permission set"
run sf org assign permset --name Switchboard_Admin --target-org "$alias_name"

if [[ "$sample_data" == true ]]; then
  info "Importing sample data (scripts/sample-data/plan.json)"
  run sf data import tree --plan scripts/sample-data/plan.json --target-org "$alias_name"

  if [[ "$person_accounts" == true ]]; then
    # A Person Account needs the person record type's Id, which differs per org: add it to a copy of the
    # sample file, then import that copy.
    info "Importing sample Person Accounts"
    need_command node 'Node.js is needed to read the sf output and prepare the Person Account file.'
    person_type_query="SELECT Id FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true LIMIT 1"
    if [[ "$DRY_RUN" == true ]]; then
      run sf data query --query "$person_type_query" --target-org "$alias_name" --json
      record_type_id="012DRYRUN00000000"
    else
      record_type_id="$(sf data query --query "$person_type_query" --target-org "$alias_name" --json |
        json_get result.records.0.Id)" ||
        die "no Person Account record type in '$alias_name' (is the PersonAccounts feature enabled?)"
    fi
    work_dir="$(mktemp -d)"
    trap 'rm -rf "$work_dir"' EXIT
    RECORD_TYPE_ID="$record_type_id" node -e '
      const fs = require("node:fs");
      const [source, target] = process.argv.slice(1);
      const tree = JSON.parse(fs.readFileSync(source, "utf8"));
      for (const record of tree.records) record.RecordTypeId = process.env.RECORD_TYPE_ID;
      fs.writeFileSync(target, JSON.stringify(tree, null, 2));' \
      scripts/sample-data/PersonAccount.json "$work_dir/Account.json"
    run sf data import tree --files "$work_dir/Account.json" --target-org "$alias_name"
    run sf data update record --sobject Switchboard_Sync__c --where "Name='Default sync'" \
      --values "Sync_Person_Accounts__c=true" --target-org "$alias_name"
  fi
fi

info "Done. Open the org with: sf org open --target-org $alias_name --path lightning/app/c__Switchboard"
