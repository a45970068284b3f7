#!/usr/bin/env bash
# Dms in two commands:
#   ./dms.sh run    build and run the whole system (PostgreSQL, migrations, api, worker, Aspire dashboard)
#                   --profile local-aws: documents in S3 and jobs in SQS, both served here by fauxqs
#                   --profile aws: on AWS's own services, as the AppHost's settings name them (docs/aws.md)
#                   -- --Key=value ...: settings for the AppHost, e.g. -- --Dms:Processing:Concurrency=4
#   ./dms.sh test   build and run every test; the last line is "N passed, N failed, N skipped"
#   ./dms.sh token [viewer|editor|admin|operator]   an ID token of a demo user from the running system
#   ./dms.sh deploy aws --env NAME [--dry-run]   build, push and roll out deploy/aws/environments/NAME.env on AWS
# Both first install what is missing on a Debian/Ubuntu machine with the .NET SDK, and are quick when all is there.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
# Daemons such as clamd live in /usr/sbin, which a normal user's PATH leaves out; the AppHost and the tests start them.
export PATH="$PATH:/usr/sbin:/sbin"

dashboard_url=http://localhost:15888

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "This needs root, and sudo is not installed: run as root: $*" >&2
    exit 1
  fi
}

install_prerequisites() {
  if ! command -v dotnet >/dev/null; then
    echo "The .NET SDK 10 is needed: install it first (see README.md)." >&2
    exit 1
  fi

  local packages=()
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || packages+=(postgresql postgresql-contrib)
  command -v setpriv >/dev/null || packages+=(util-linux)
  command -v pgrep >/dev/null || packages+=(procps)
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
  command -v curl >/dev/null || packages+=(curl)
  command -v jq >/dev/null || packages+=(jq) # the runbook's scripts read dms --json with it
  # The pipeline's tools: OCR (tesseract, pdftoppm) and the malware scanner (clamd); qpdf makes encrypted PDFs for tests.
  command -v tesseract >/dev/null || packages+=(tesseract-ocr)
  [ -e /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || packages+=(tesseract-ocr-eng)
  command -v pdftoppm >/dev/null || packages+=(poppler-utils)
  command -v clamd >/dev/null || packages+=(clamav-daemon)
  command -v qpdf >/dev/null || packages+=(qpdf)
  # The web app's browser tests drive Debian's headless Chromium through Playwright (never Playwright's own download).
  command -v chromium-headless-shell >/dev/null || packages+=(chromium-headless-shell)
  if [ ${#packages[@]} -gt 0 ]; then
    echo "Installing ${packages[*]} from apt"
    # Dms runs its own clusters; the package's default cluster and service would only take port 5432 for nothing.
    if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
      as_root mkdir -p /etc/postgresql-common
      echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
    fi
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  fi

  dotnet tool restore >/dev/null
  # The S3 and SQS stand-in (fauxqs), the Cognito stand-in the Cognito adapter's tests run (cognito-local), the
  # CloudFormation linter the template's tests run (cfn-lint), the accessibility rules the browser tests check
  # pages with (axe-core) and the OpenAPI linter the API's contract test runs (Redocly), as their lock files pin.
  local tool
  for tool in fauxqs cognito-local cfn-lint axe redocly; do
    if [ ! -d "tools/$tool/node_modules" ]; then
      echo "Installing tools/$tool from npm"
      npm ci --prefix "tools/$tool" --no-audit --no-fund --loglevel=error >/dev/null
    fi
  done
}

# The compiler server compiles every project of the build in one warm process, where starting the compiler for each
# project took a third longer (a fresh clone's solution: 2:07 instead of 3:09 on two cores). An environment that
# switched it off (UseSharedCompilation=false) gets it for this build only: a server this build started is stopped
# after it, so nothing of the build outlives it.
build() {
  local server_was_running=yes status=0
  pgrep -u "$(id -u)" -f VBCSCompiler >/dev/null || server_was_running=no
  dotnet build "$1" -nologo -clp:ErrorsOnly -v quiet -p:UseSharedCompilation=true || status=$?
  if [ "$server_was_running" = no ]; then
    dotnet build-server shutdown --vbcscompiler >/dev/null 2>&1 || true
  fi
  return "$status"
}

# Stops an embedded PostgreSQL that outlived the AppHost (e.g. after the AppHost itself was killed).
stop_leftover_postgres() {
  local link data bin server_user=()
  [ "$(id -u)" = 0 ] && server_user=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  for link in "$root/.dms-state/postgres/data" "$root/.dms-state/postgres-local-aws/data"; do
    # A link where the checkout is out of the 'postgres' user's reach (Dms.AppHost/Postgres/ClusterFolder.cs).
    data=$(readlink -f "$link") || continue
    [ -f "$data/postmaster.pid" ] || continue
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1) || continue
    (
      cd /
      "${server_user[@]}" "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1 &&
        "${server_user[@]}" "$bin/pg_ctl" -D "$data" stop -m fast >/dev/null
    ) || true
  done
  return 0
}

run() {
  local settings=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --profile)
        case "${2:-}" in
          embedded) settings+=(--Dms:Profile=Embedded) ;;
          local-aws) settings+=(--Dms:Profile=LocalAws) ;;
          aws) settings+=(--Dms:Profile=Aws) ;;
          *) echo "usage: ./dms.sh run [--profile embedded|local-aws|aws] [-- --Key=value ...]" >&2; exit 2 ;;
        esac
        shift 2
        ;;
      --) shift; settings+=("$@"); break ;;
      *) echo "usage: ./dms.sh run [--profile embedded|local-aws|aws] [-- --Key=value ...]" >&2; exit 2 ;;
    esac
  done
  install_prerequisites
  build Dms.AppHost
  stop_leftover_postgres

  # The AppHost binary itself, not `dotnet run`: it stops everything it started on SIGTERM. It runs in its project
  # folder, where its appsettings.json is, with its launch profile's settings: a local dashboard over plain HTTP.
  (
    cd Dms.AppHost
    export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development \
      ASPNETCORE_URLS=$dashboard_url \
      ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:16889 \
      ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:17037 \
      ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
    exec ./bin/Debug/net10.0/Dms.AppHost "${settings[@]}"
  ) &
  local apphost=$!
  trap 'kill -TERM "$apphost" 2>/dev/null || true' INT TERM

  cat <<MSG

  Dms is starting: it says when it is ready, or what failed and what to do (Ctrl-C stops it and everything it started).
    Dashboard      $dashboard_url   (every resource, its console, traces and metrics: open the sign-in link the
                   ready line prints, or sign in with the token in .dms-state/dashboard-token)
    Database       connection string in .dms-state/postgres/connection-string

MSG
  local status=0
  while kill -0 "$apphost" 2>/dev/null; do
    wait "$apphost" || status=$?
  done
  stop_leftover_postgres
  echo "Dms stopped."
  return "$status"
}

test_all() {
  install_prerequisites
  build Dms.sln
  local log
  log=$(mktemp)
  # The tests start hundreds of short-lived .NET processes and hosts, most of whose methods run a few times: the
  # instrumented tier that profile-guided optimisation adds before the optimised one cost the suite about a sixth of
  # its CPU on two cores, and compiling a method again, optimised, after 30 calls cost more than it saved (the runtime
  # reads the count in hex: C8 is 200). The system run by ./dms.sh run keeps the defaults.
  local status=0
  DOTNET_TieredPGO=0 DOTNET_TC_CallCountThreshold=C8 dotnet test Dms.sln --no-build -nologo 2>&1 | tee "$log" || status=$?
  if [ "$status" != 0 ] && ! grep -q "Failed! " "$log"; then
    echo "dotnet test exited with $status before reporting a failed test: read the output above."
  fi
  # A test host that ended without its summary (killed, or stopped by a signal, after which dotnet test can still
  # exit 0) ran no verdict: every test project must report one.
  local projects reported
  projects=$(find tests -mindepth 2 -maxdepth 2 -name '*Tests.csproj' | wc -l)
  reported=$(grep -cE '(Passed|Failed)! +- +Failed: +[0-9]+' "$log" || true)
  if [ "$reported" -lt "$projects" ]; then
    echo "Only $reported of the $projects test projects reported a result: read the output above."
    status=1
  fi
  # One summary line for every test project; add them up into the one line CI reads.
  awk '
    /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
      gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
    }
    END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
  rm -f "$log"
  return "$status"
}

# Signs a demo user in at the running local identity provider and prints the ID token to use as a bearer token.
token() {
  local role=${1:-editor} client=.dms-state/identity/client.json
  case "$role" in viewer | editor | admin | operator) ;; *)
    echo "usage: ./dms.sh token [viewer|editor|admin|operator]" >&2
    exit 2
    ;;
  esac
  if [ ! -f "$client" ]; then
    echo "The local identity provider has not started yet: start the system with ./dms.sh run first." >&2
    exit 1
  fi
  # Signs the demo user in as a browser does (the code flow with PKCE through the provider's sign-in page) and prints
  # the ID token the web app and the CLI send to the API.
  node - "$client" "$role" <<'JS'
const crypto = require("crypto");
const [clientFile, role] = process.argv.slice(2);
const { authority, clientId, redirectUri } = JSON.parse(require("fs").readFileSync(clientFile, "utf8"));
const jar = new Map();
const base64url = (bytes) => bytes.toString("base64").replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
async function go(url, init = {}) {
  const headers = { ...(init.headers || {}), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") };
  const response = await fetch(new URL(url, authority), { ...init, headers, redirect: "manual" });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(";");
    const at = pair.indexOf("=");
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return response;
}
(async () => {
  const verifier = base64url(crypto.randomBytes(32));
  const challenge = base64url(crypto.createHash("sha256").update(verifier).digest());
  const authorize = `/connect/authorize?${new URLSearchParams({ client_id: clientId, response_type: "code", redirect_uri: redirectUri,
    scope: "openid email offline_access", code_challenge: challenge, code_challenge_method: "S256", state: "token", nonce: "token" })}`;
  const signIn = (await go(authorize)).headers.get("location");
  const page = await (await go(signIn)).text();
  const antiforgery = /name="__RequestVerificationToken" type="hidden" value="([^"]+)"/.exec(page)?.[1];
  const returnUrl = /id="ReturnUrl" name="ReturnUrl" value="([^"]*)"/.exec(page)?.[1]?.replace(/&amp;/g, "&");
  let response = await go(signIn, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ Email: `${role}@demo.dms.local`, Password: "Dms-demo-1!", ReturnUrl: returnUrl ?? "", __RequestVerificationToken: antiforgery ?? "" }) });
  for (let hops = 0; hops < 5 && !(response.headers.get("location") ?? "").startsWith(redirectUri); hops++) {
    if (!response.headers.get("location")) throw new Error(`the sign-in page answered ${response.status}`);
    response = await go(response.headers.get("location"));
  }
  const code = new URL(response.headers.get("location")).searchParams.get("code");
  const tokens = await (await fetch(new URL("/connect/token", authority), { method: "POST",
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier }) })).json();
  if (!tokens.id_token) throw new Error(JSON.stringify(tokens));
  console.log(tokens.id_token);
})().catch((error) => { console.error(`The identity provider at ${authority} did not sign ${role} in: ${error.message}`); process.exit(1); });
JS
}

# Figures, not tests: starts the system, pushes a generated corpus through it and prints what it measured.
bench() {
  install_prerequisites
  if [ "${1:-}" = api ] && ! command -v wrk >/dev/null; then
    echo "Installing wrk from apt (the API benchmark's load generator)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
  fi
  dotnet build bench/Dms.Benchmarks -c Release -v quiet -nologo >/dev/null
  dotnet bench/Dms.Benchmarks/bin/Release/net10.0/Dms.Benchmarks.dll "$@"
}

case "${1:-}" in
  run) shift; run "$@" ;;
  bench) shift; bench "$@" ;;
  test) test_all ;;
  token) token "${2:-}" ;;
  deploy)
    [ "${2:-}" = aws ] || { echo "usage: ./dms.sh deploy aws --env NAME [--dry-run]" >&2; exit 2; }
    shift 2
    exec bash deploy/aws/deploy.sh "$@"
    ;;
  *)
    echo "usage: ./dms.sh run [--profile embedded|local-aws|aws] [-- --Key=value ...] | test | token [viewer|editor|admin|operator] | bench pipeline [documents] [ocr-pages] [long-pdf-pages] | bench search [documents] [tenants] | bench api [documents] [connections] [seconds] | bench isolation [burst] [pause-seconds] | bench web [documents] [requests] [upload-mib] | deploy aws --env NAME [--dry-run]" >&2
    exit 2
    ;;
esac
