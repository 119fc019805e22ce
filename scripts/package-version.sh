#!/usr/bin/env bash
# Creates (and optionally promotes) a managed 2GP package version of Switchboard under a namespace.
# The namespace is set in a temporary copy of the project: the committed sfdx-project.json keeps "namespace": "".
set -euo pipefail

# shellcheck source=scripts/_common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/_common.sh"

usage() {
  cat <<'EOF'
Usage: scripts/package-version.sh --namespace NS --package-id 0Ho... [--promote] [options]
       scripts/package-version.sh --namespace NS --create-package [options]

Builds a managed package version of force-app with Apex code coverage computed (required for promotion),
in a temporary copy of the project whose sfdx-project.json carries the namespace and the package id.
The committed sfdx-project.json is never modified.

Options:
  --namespace NS           Namespace prefix linked to the Dev Hub (1-15 letters and digits, starting with a
                           letter). Required.
  --package-id 0Ho...      Id of the managed package (from --create-package or `sf package list`).
  --create-package         Create the managed package "Switchboard" under NS instead of a version, and print its
                           0Ho id. Run once per namespace.
  --promote                Promote the new version to released (installable in production). Needs >= 75% Apex
                           coverage and every trigger covered.
  --version-number X.Y.Z.NEXT
                           Override packageDirectories[0].versionNumber (default: from sfdx-project.json).
  --target-dev-hub ALIAS   Dev Hub that owns the package (default: the CLI's configured target-dev-hub).
  --wait MINUTES           How long to wait for the version build (default: 60).
  --dry-run                Print the sf commands instead of running them (no org or network needed).
  -h, --help               Show this help.

Needs: Salesforce CLI v2 (sf) authorised to the Dev Hub that the namespace is linked to, and Node.js.
Example: scripts/package-version.sh --namespace swbd --package-id 0Ho5g000000XXXXCAA --promote
EOF
}

namespace=""
package_id=""
create_package=false
promote=false
version_number=""
dev_hub=""
wait_minutes=60

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --namespace) need_value "$1" "${2-}"; namespace="$2"; shift 2 ;;
    --package-id) need_value "$1" "${2-}"; package_id="$2"; shift 2 ;;
    --create-package) create_package=true; shift ;;
    --promote) promote=true; shift ;;
    --version-number) need_value "$1" "${2-}"; version_number="$2"; shift 2 ;;
    --target-dev-hub) need_value "$1" "${2-}"; dev_hub="$2"; shift 2 ;;
    --wait) need_value "$1" "${2-}"; wait_minutes="$2"; shift 2 ;;
    --dry-run) DRY_RUN=true; shift ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

[[ -n "$namespace" ]] || die "--namespace is required (see --help)"
[[ "$namespace" =~ ^[A-Za-z][A-Za-z0-9]{0,14}$ ]] ||
  die "--namespace '$namespace': 1-15 letters and digits, starting with a letter"
if [[ "$create_package" == true ]]; then
  [[ -z "$package_id" ]] || die "--create-package and --package-id exclude each other"
  [[ "$promote" == false ]] || die "--promote needs a version: run with --package-id after --create-package"
else
  [[ -n "$package_id" ]] || die "--package-id is required unless --create-package is given (see --help)"
  [[ "$package_id" =~ ^0Ho[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$ ]] ||
    die "--package-id '$package_id': a package id starts with 0Ho and has 15 or 18 characters"
fi
[[ -z "$version_number" || "$version_number" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.(NEXT|[0-9]+)$ ]] ||
  die "--version-number '$version_number': use MAJOR.MINOR.PATCH.NEXT (e.g. 0.2.0.NEXT)"
[[ "$wait_minutes" =~ ^[0-9]+$ && "$wait_minutes" -ge 1 ]] || die "--wait '$wait_minutes': whole minutes, at least 1"

need_command node 'Node.js is needed to prepare sfdx-project.json and read the sf output.'
[[ "$DRY_RUN" == true ]] || need_sf

dev_hub_args=()
[[ -n "$dev_hub" ]] && dev_hub_args=(--target-dev-hub "$dev_hub")

# The temporary project: the package source plus an sfdx-project.json carrying the namespace.
work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT
for entry in sfdx-project.json force-app config .forceignore; do
  if [[ -e "$PROJECT_DIR/$entry" ]]; then cp -R "$PROJECT_DIR/$entry" "$work_dir/"; fi
done
NAMESPACE="$namespace" PACKAGE_ID="$package_id" VERSION_NUMBER="$version_number" node -e '
  const fs = require("node:fs");
  const file = process.argv[1];
  const project = JSON.parse(fs.readFileSync(file, "utf8"));
  const directory = project.packageDirectories.find((d) => d.package === "Switchboard");
  if (!directory) throw new Error(`${file}: no packageDirectories entry for package "Switchboard"`);
  project.namespace = process.env.NAMESPACE;
  if (process.env.PACKAGE_ID) project.packageAliases = { ...project.packageAliases, Switchboard: process.env.PACKAGE_ID };
  if (process.env.VERSION_NUMBER) directory.versionNumber = process.env.VERSION_NUMBER;
  fs.writeFileSync(file, JSON.stringify(project, null, 2) + "\n");' "$work_dir/sfdx-project.json"
cd "$work_dir"

# Runs an sf command with --json and prints the value at the dotted path; fails with sf's message.
sf_json() {
  local path="$1" output status
  shift
  if [[ "$DRY_RUN" == true ]]; then
    run "$@" --json
    printf 'DRY-RUN-%s' "${path##*.}"
    return 0
  fi
  set +e
  output="$("$@" --json)"
  status=$?
  set -e
  if [[ $status -ne 0 ]]; then
    { printf '%s' "$output" | json_get message && echo; } >&2 || printf '%s\n' "$output" >&2
    die "'$1 $2 $3 $4' failed (exit $status)"
  fi
  printf '%s' "$output" | json_get "$path" || die "'$1 $2 $3 $4' returned no $path: $output"
}

if [[ "$create_package" == true ]]; then
  info "Creating the managed package Switchboard under namespace '$namespace'"
  new_package_id="$(sf_json result.Id sf package create \
    --name Switchboard \
    --path force-app \
    --package-type Managed \
    --description "Keeps Salesforce Contacts, Leads and Person Accounts in sync with a telephony directory." \
    ${dev_hub_args[@]+"${dev_hub_args[@]}"})"
  info "Package created: $new_package_id"
  echo "$new_package_id"
  info "Next: scripts/package-version.sh --namespace $namespace --package-id $new_package_id"
  exit 0
fi

info "Creating a package version of $package_id (namespace '$namespace', code coverage on, wait ${wait_minutes} min)"
version_id="$(sf_json result.SubscriberPackageVersionId sf package version create \
  --package Switchboard \
  --installation-key-bypass \
  --code-coverage \
  --wait "$wait_minutes" \
  ${dev_hub_args[@]+"${dev_hub_args[@]}"})"
info "Package version created: $version_id"

if [[ "$promote" == true ]]; then
  info "Promoting $version_id to released"
  run sf package version promote --package "$version_id" --no-prompt ${dev_hub_args[@]+"${dev_hub_args[@]}"}
fi

echo "$version_id"
info "Install URL: https://login.salesforce.com/packaging/installPackage.apexp?p0=$version_id"
