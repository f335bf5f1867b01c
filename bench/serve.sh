#!/usr/bin/env bash
# serve.sh: runs one benchmark command beside a task API that is cheaper
# than the client it measures, in a network namespace of its own.
#
# Usage: bench/serve.sh [--delay MS] [--tls] [--dir DIR] -- COMMAND [ARG…]
#
#   (default)   nginx on http://127.0.0.1:8080 answers every
#               GET /api/open-api/v1/audios/ID with a static "processing"
#               envelope whose data.id is ID
#   --delay MS  the answer comes MS ms after the request arrived:
#               bench-delay-server answers (nginx cannot wait cheaply,
#               and this kernel has no netem; see docs/performance.md)
#   --tls       nginx on https://127.0.0.1:8443 with HTTP/2 (ALPN) and a
#               self-signed certificate; with --delay it proxies to
#               bench-delay-server over keep-alive connections
#   --dir DIR   where the configuration, pid file, logs and certificate
#               go (default build-bench/serve)
#
# COMMAND gets BENCH_API_URL (the base URL) and BENCH_SERVER_PIDS (the
# server's processes, for its CPU share) in its environment. The
# namespace holds only loopback, so nothing outside it is touched, the
# fixed ports never collide, and the kernel's TCP counters count only
# COMMAND and the server. nginx runs from a private configuration, never
# as a system service, and is stopped (by its own pid) when COMMAND ends.
# After COMMAND's output, "server_protocols=…" says which HTTP versions
# the requests used, from nginx's access log (in --tls mode only).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
delay=0
tls=0
dir=$here/../build-bench/serve
args=("$@")
while [ $# -gt 0 ]; do
  case $1 in
    --delay) delay=$2; shift 2 ;;
    --tls) tls=1; shift ;;
    --dir) dir=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "serve.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: serve.sh [--delay MS] [--tls] [--dir DIR] -- COMMAND…" >&2; exit 2; }

# First pass: into a network namespace of our own, then run again there.
if [ "${BENCH_SERVE_IN_NS:-}" != 1 ]; then
  unshare --net -- true 2>/dev/null || {
    echo "serve.sh: cannot make a network namespace (unshare --net): run" \
      "the benchmarks as root" >&2
    exit 1
  }
  BENCH_SERVE_IN_NS=1 exec unshare --net -- "$0" "${args[@]}"
fi
unset BENCH_SERVE_IN_NS
ip link set lo up

command -v nginx >/dev/null || {
  echo "serve.sh: no nginx: run bench/run.sh (it installs nginx-light)" >&2
  exit 1
}
delay_server=${BENCH_DELAY_SERVER:-$here/../build-bench/bench/bench-delay-server}

mkdir -p "$dir"
# One directory per run: the namespaces of two runs never share files.
run_dir=$(mktemp -d "$dir/run.XXXXXX")
mkdir -p "$run_dir/tmp"
ulimit -n 65536 2>/dev/null || true

envelope='{"code":20000,"msg":"ok","data":{"id":"$id","object":"audio","created":1781777280,"model":"soundCloningAudio","status":"processing","error":null}}'
pids=()
cleanup() {
  if [ -s "$run_dir/nginx.pid" ]; then
    kill -QUIT "$(cat "$run_dir/nginx.pid")" 2>/dev/null || true
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$run_dir"
}
trap cleanup EXIT

if [ "$delay" -gt 0 ]; then
  [ -x "$delay_server" ] || { echo "serve.sh: no $delay_server" >&2; exit 1; }
  "$delay_server" --port 8081 --delay "$delay" &
  pids+=($!)
  # It prints nothing; wait until it listens.
  for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/8081) 2>/dev/null && break
    sleep 0.05
  done
fi

if [ "$delay" -gt 0 ] && [ $tls = 0 ]; then
  export BENCH_API_URL=http://127.0.0.1:8081
else
  if [ $tls = 1 ]; then
    # A self-signed certificate, made once per build directory.
    if [ ! -s "$dir/cert.pem" ]; then
      openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
        -subj /CN=127.0.0.1 -keyout "$dir/key.pem" -out "$dir/cert.pem" \
        2>/dev/null
    fi
    listen="listen 127.0.0.1:8443 ssl http2;
    ssl_certificate $dir/cert.pem;
    ssl_certificate_key $dir/key.pem;
    http2_max_concurrent_streams 1024;
    access_log $run_dir/access.log proto buffer=256k;"
    export BENCH_API_URL=https://127.0.0.1:8443
  else
    listen="listen 127.0.0.1:8080;"
    export BENCH_API_URL=http://127.0.0.1:8080
  fi
  if [ "$delay" -gt 0 ]; then
    answer="proxy_pass http://delay;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";"
  else
    answer="default_type application/json;
      return 200 '$envelope';"
  fi
  cat >"$run_dir/nginx.conf" <<EOF
worker_processes 1;
daemon on;
pid $run_dir/nginx.pid;
error_log $run_dir/error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections 32768; }
http {
  access_log off;
  log_format proto '\$server_protocol';
  client_body_temp_path $run_dir/tmp/body;
  proxy_temp_path $run_dir/tmp/proxy;
  fastcgi_temp_path $run_dir/tmp/fastcgi;
  uwsgi_temp_path $run_dir/tmp/uwsgi;
  scgi_temp_path $run_dir/tmp/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 600s;
  upstream delay { server 127.0.0.1:8081; keepalive 4096; }
  server {
    $listen
    location ~ ^/api/open-api/v1/audios/(?<id>[^/]+)\$ {
      $answer
    }
  }
}
EOF
  nginx -c "$run_dir/nginx.conf" -p "$run_dir" -e "$run_dir/error.log"
  for _ in $(seq 100); do [ -s "$run_dir/nginx.pid" ] && break; sleep 0.05; done
  nginx_pid=$(cat "$run_dir/nginx.pid")
  pids+=("$nginx_pid")
fi

export BENCH_SERVER_PIDS="${pids[*]}"
status=0
"$@" || status=$?

if [ -s "$run_dir/nginx.pid" ]; then
  kill -QUIT "$(cat "$run_dir/nginx.pid")" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.05; done
  rm -f "$run_dir/nginx.pid"
fi
if [ -s "$run_dir/access.log" ]; then
  echo "server_protocols=$(sort "$run_dir/access.log" | uniq -c |
    awk '{ printf "%s%s:%s", (NR > 1 ? " " : ""), $2, $1 }')"
fi
exit $status
