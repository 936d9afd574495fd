# Helpers for the provisioning shell tests and scripts/demo.sh (source it; bash only).
#
#   svc_init DIR              test CA in DIR/ca (ca.pem, ca.key) and a broker certificate
#   svc_start_aws DIR         local AWS IoT service on 127.0.0.1; sets AWS_LOCAL_URL, exports dummy
#                             credentials, AWS_DEFAULT_REGION and OPTIGA_AWS_ENDPOINT_URL
#   svc_start_broker DIR [CAFILE]
#                             mosquitto on 127.0.0.1 with TLS + require_certificate; sets BROKER_PORT
#   svc_stop                  stops what was started (by PID)
#   aws_local_fail OP [COUNT] [ERROR]   make the next COUNT calls of OP fail
#   aws_local_state           the service's registry as JSON
#
# Every server runs under `timeout` and is killed by PID; nothing listens beyond 127.0.0.1.

svc_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SVC_PIDS=()
SVC_LIFETIME=${SVC_LIFETIME:-900}

svc_init() {
  local dir=$1
  python3 "$svc_dir/testca.py" init "$dir/ca" >/dev/null
  [ -f "$dir/ca/broker.pem" ] || python3 "$svc_dir/testca.py" server "$dir/ca" broker >/dev/null
}

# Waits until FILE exists (a server wrote its port); fails after ~20 s.
svc_wait_file() {
  local file=$1 i
  for i in $(seq 1 200); do
    [ -s "$file" ] && return 0
    sleep 0.1
  done
  echo "svc: timed out waiting for $file" >&2
  return 1
}

svc_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

svc_start_aws() {
  local dir=$1
  svc_init "$dir"
  rm -f "$dir/aws.port"
  timeout "$SVC_LIFETIME" python3 "$svc_dir/aws_iot_local.py" --ca-dir "$dir/ca" --port-file "$dir/aws.port" \
    --lifetime "$((SVC_LIFETIME - 5))" --endpoint-address localhost >"$dir/aws.log" 2>&1 &
  SVC_PIDS+=("$!")
  svc_wait_file "$dir/aws.port"
  AWS_LOCAL_URL="http://127.0.0.1:$(cat "$dir/aws.port")"
  export AWS_ACCESS_KEY_ID=local-test AWS_SECRET_ACCESS_KEY=local-test AWS_DEFAULT_REGION=us-east-1
  export AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1 AWS_PAGER=""
  export OPTIGA_AWS_ENDPOINT_URL=$AWS_LOCAL_URL
  # Debian's awscli (scripts/install-deps.sh) when present, else whatever `aws` is on PATH.
  if [ -x /usr/bin/aws ]; then export AWS_CLI=/usr/bin/aws; fi
}

svc_start_broker() {
  local dir=$1 cafile=${2:-$1/ca/ca.pem}
  svc_init "$dir"
  BROKER_PORT=$(svc_free_port)
  cat >"$dir/mosquitto.conf" <<CONF
# Local stand-in for the AWS IoT data endpoint: TLS with client certificates only.
per_listener_settings true
listener $BROKER_PORT 127.0.0.1
cafile $cafile
certfile $dir/ca/broker.pem
keyfile $dir/ca/broker.key
require_certificate true
use_identity_as_username true
allow_anonymous false
persistence false
log_dest stderr
log_type error
log_type warning
log_type notice
user $(id -un)
CONF
  timeout "$SVC_LIFETIME" mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
  SVC_PIDS+=("$!")
  local i
  for i in $(seq 1 100); do
    if python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' \
      "$BROKER_PORT" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "svc: mosquitto did not start:" >&2
  cat "$dir/mosquitto.log" >&2
  return 1
}

svc_stop() {
  local pid
  for pid in "${SVC_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${SVC_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  SVC_PIDS=()
}

aws_local_fail() {
  local op=$1 count=${2:-1} error=${3:-ServiceUnavailableException}
  python3 - "$AWS_LOCAL_URL" "$op" "$count" "$error" <<'PY'
import json, sys, urllib.request
url, op, count, error = sys.argv[1:]
req = urllib.request.Request(url + "/_control/fail", method="POST",
                             data=json.dumps({"operation": op, "count": int(count), "error": error}).encode())
urllib.request.urlopen(req).read()
PY
}

aws_local_state() {
  python3 -c 'import sys,urllib.request; print(urllib.request.urlopen(sys.argv[1] + "/_control/state").read().decode())' \
    "$AWS_LOCAL_URL"
}
