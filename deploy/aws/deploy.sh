#!/usr/bin/env bash
# ./dms.sh deploy aws --env NAME [--dry-run]: builds, pushes and rolls out one environment of Dms on AWS, from the
# settings in deploy/aws/environments/NAME.env. In order:
#   1. the account, and the registry stack (image repositories, a bucket for templates)
#   2. the network stack, when the environment's file says Network=create
#   3. four linux/amd64 images (api, web, worker, migrations) built and pushed under the commit's tag; a tag that is
#      in the registry already is not built again (tags are immutable)
#   4. the stack with the new migrations image only (services keep their images; on a first deploy they start at
#      zero tasks), then the migrations task, waited for: a deploy stops here unless it exited 0
#   5. the stack with the new api, web and worker images and the file's task counts; then waits for the services
#      to be stable and asks the api whether it is alive
# With --dry-run it prints every command instead of running it (values AWS would answer are shown as $NAMES), and
# needs neither AWS credentials nor a container engine.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() {
  echo "usage: ./dms.sh deploy aws --env NAME [--dry-run]   (environments: $(ls deploy/aws/environments | sed -n 's/\.env$//p' | paste -sd ' '))" >&2
  exit 2
}

env_name="" dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --env) env_name="${2:-}"; shift 2 || usage ;;
    --dry-run) dry_run=true; shift ;;
    *) usage ;;
  esac
done
[ -n "$env_name" ] || usage
settings_file="deploy/aws/environments/$env_name.env"
if [ ! -f "$settings_file" ]; then
  echo "No environment '$env_name': $settings_file does not exist." >&2
  usage
fi

# The environment's settings: Region and Network for this script, the rest parameters of dms.yaml.
declare -A settings=()
parameters=()
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%%#*}"
  line="$(echo "$line" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')"
  [ -n "$line" ] || continue
  key="${line%%=*}" value="${line#*=}"
  settings[$key]="$value"
  case "$key" in
    Region | Network) ;;
    *) parameters+=("$key=$value") ;;
  esac
done <"$settings_file"
region="${settings[Region]:-}"
network="${settings[Network]:-existing}"
[ -n "$region" ] || { echo "$settings_file names no Region." >&2; exit 2; }
if [ "$network" != create ] && { [ -z "${settings[VpcId]:-}" ] || [ -z "${settings[PublicSubnetIds]:-}" ] || [ -z "${settings[PrivateSubnetIds]:-}" ]; }; then
  echo "$settings_file: Network=create, or VpcId, PublicSubnetIds and PrivateSubnetIds of a network that exists." >&2
  exit 2
fi

stack="dms-$env_name"
tag="$(git rev-parse --short=12 HEAD)"
# The environments' files are settings, not what the images hold: changing one (a restore's endpoint) needs no commit.
if [ -n "$(git status --porcelain -- . ':!deploy/aws/environments')" ]; then
  if $dry_run; then
    echo "# (the working tree has changes: a real deploy refuses to push them under the commit's tag $tag)"
  else
    echo "The working tree has changes: commit them first, so the images' tag ($tag) names what they hold." >&2
    exit 1
  fi
fi

step_number=0
step() {
  step_number=$((step_number + 1))
  echo
  echo "# $step_number. $1"
}

# Runs a command, or prints it on a dry run.
run() {
  if $dry_run; then
    echo "$*"
  else
    "$@"
  fi
}

# Runs a pipeline (one string), or prints it on a dry run.
run_shell() {
  if $dry_run; then
    echo "$1"
  else
    eval "$1"
  fi
}

# Sets the variable $1 to what a command prints, or (dry run) prints the assignment and sets it to "$NAME".
capture() {
  local name="$1"
  shift
  if $dry_run; then
    echo "$name=\$($*)"
    printf -v "$name" '%s' "\$$name"
  else
    printf -v "$name" '%s' "$(eval "$*")"
  fi
}

output_of() { echo "aws cloudformation describe-stacks --region $region --stack-name $1 --query \"Stacks[0].Outputs[?OutputKey=='$2'].OutputValue\" --output text"; }

step "The account, and the registry stack: image repositories and a bucket for templates"
capture account "aws sts get-caller-identity --query Account --output text"
run aws cloudformation deploy --region "$region" --stack-name "$stack-registry" --template-file deploy/aws/registry.yaml \
  --parameter-overrides "EnvironmentName=$env_name" --no-fail-on-empty-changeset
capture registry "$(output_of "$stack-registry" Registry)"
capture templates "$(output_of "$stack-registry" TemplatesBucketName)"

if [ "$network" = create ]; then
  step "The network stack: a VPC, two zones' public and private subnets, a NAT gateway"
  run aws cloudformation deploy --region "$region" --stack-name "$stack-network" --template-file deploy/aws/network.yaml \
    --parameter-overrides "EnvironmentName=$env_name" --no-fail-on-empty-changeset
  capture vpc "$(output_of "$stack-network" VpcId)"
  capture public_subnets "$(output_of "$stack-network" PublicSubnetIds)"
  capture private_subnets "$(output_of "$stack-network" PrivateSubnetIds)"
  parameters+=("VpcId=$vpc" "PublicSubnetIds=$public_subnets" "PrivateSubnetIds=$private_subnets")
fi

step "Images, tag $tag, for linux/amd64"
run_shell "aws ecr get-login-password --region $region | docker login --username AWS --password-stdin $registry"
for service in api web worker migrations; do
  project="Dms.${service^}"
  image="$registry/dms-$env_name/$service:$tag"
  if $dry_run; then
    echo "aws ecr describe-images --region $region --repository-name dms-$env_name/$service --image-ids imageTag=$tag || {"
    echo "  dotnet publish $project -c Release -r linux-x64 --self-contained false -o out/deploy/$service"
    echo "  docker build --platform linux/amd64 -f $project/Dockerfile -t $image out/deploy/$service"
    echo "  docker push $image"
    echo "}"
  elif ! aws ecr describe-images --region "$region" --repository-name "dms-$env_name/$service" --image-ids "imageTag=$tag" >/dev/null 2>&1; then
    dotnet publish "$project" -c Release -r linux-x64 --self-contained false -o "out/deploy/$service"
    docker build --platform linux/amd64 -f "$project/Dockerfile" -t "$image" "out/deploy/$service"
    docker push "$image"
  fi
done

# dms.yaml with the environment's parameters (but for those named in $1, a pattern) and the ones given.
stack_deploy() {
  local leave_out="$1" kept=()
  shift
  for parameter in "${parameters[@]}"; do
    [[ "${parameter%%=*}" =~ ^($leave_out)$ ]] || kept+=("$parameter")
  done
  run aws cloudformation deploy --region "$region" --stack-name "$stack" --template-file deploy/aws/dms.yaml \
    --s3-bucket "$templates" --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset \
    --parameter-overrides "EnvironmentName=$env_name" "${kept[@]}" "$@"
}

migrations_only() { stack_deploy "" "MigrationsImage=$registry/dms-$env_name/migrations:$tag"; }
first_deploy() {
  stack_deploy "ApiDesiredCount|WorkerMinCount|WebDesiredCount" "MigrationsImage=$registry/dms-$env_name/migrations:$tag" \
    "ApiImage=$registry/dms-$env_name/api:$tag" "WebImage=$registry/dms-$env_name/web:$tag" "WorkerImage=$registry/dms-$env_name/worker:$tag" \
    ApiDesiredCount=0 WorkerMinCount=0 WebDesiredCount=0
}

step "The stack with the new migrations image (the services keep theirs), then the migrations task"
if $dry_run; then
  echo "if aws cloudformation describe-stacks --region $region --stack-name $stack >/dev/null 2>&1; then   # a later deploy"
  echo -n "  " && migrations_only
  echo "else   # the first: every image, and no task until the migrations have made the schema"
  echo -n "  " && first_deploy
  echo "fi"
elif aws cloudformation describe-stacks --region "$region" --stack-name "$stack" >/dev/null 2>&1; then
  migrations_only
else
  first_deploy
fi
capture cluster "$(output_of "$stack" ClusterName)"
capture migrations "$(output_of "$stack" MigrationsTaskDefinitionArn)"
capture subnets "$(output_of "$stack" TaskSubnets)"
capture security_group "$(output_of "$stack" TaskSecurityGroup)"
capture task "aws ecs run-task --region $region --cluster $cluster --task-definition $migrations --launch-type FARGATE --network-configuration \"awsvpcConfiguration={subnets=[$subnets],securityGroups=[$security_group],assignPublicIp=${settings[AssignPublicIp]:-DISABLED}}\" --query 'tasks[0].taskArn' --output text"
run aws ecs wait tasks-stopped --region "$region" --cluster "$cluster" --tasks "$task"
capture exit_code "aws ecs describe-tasks --region $region --cluster $cluster --tasks $task --query 'tasks[0].containers[0].exitCode' --output text"
if $dry_run; then
  echo "[ \"\$exit_code\" = 0 ] || exit 1   # the services keep their images; the migrations' log: /dms/$env_name/migrations"
elif [ "$exit_code" != 0 ]; then
  echo "The migrations task ended with exit code $exit_code: the services keep their images. Its log: /dms/$env_name/migrations." >&2
  exit 1
fi

step "The stack with the new api, web and worker images and the environment's task counts; the services rolled out"
stack_deploy "" "MigrationsImage=$registry/dms-$env_name/migrations:$tag" "ApiImage=$registry/dms-$env_name/api:$tag" \
  "WebImage=$registry/dms-$env_name/web:$tag" "WorkerImage=$registry/dms-$env_name/worker:$tag"
run aws ecs wait services-stable --region "$region" --cluster "$cluster" --services api web worker
capture api_url "$(output_of "$stack" ApiUrl)"
run curl -fsS "$api_url/alive"
capture web_url "$(output_of "$stack" WebUrl)"
echo
echo "Deployed $stack at $tag: $web_url"
