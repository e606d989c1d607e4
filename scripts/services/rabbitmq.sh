#!/usr/bin/env bash
# Makes sure a RabbitMQ broker answers AMQP on 127.0.0.1 (the bus tests and benchmarks need one).
# Installs Debian's rabbitmq-server when missing, starts it bound to 127.0.0.1 (no systemd needed) and waits until it
# has booted. A second call while the broker answers is a no-op. Exit status 0 = a broker is up, 1 = none could be had.
#   RABBITMQ_NODE_PORT       AMQP port to check and listen on (default 5672)
#   RABBITMQ_NODENAME        node to start (default: the package's, rabbit@<host>)
#   RABBITMQ_STARTUP_TIMEOUT seconds to wait for the node to boot (default 120)
set -euo pipefail
. "$(dirname "$0")/debian-package.sh"

port="${RABBITMQ_NODE_PORT:-5672}"
timeout="${RABBITMQ_STARTUP_TIMEOUT:-120}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

say() { echo "rabbitmq.sh: $*" >&2; }

# True when something on 127.0.0.1:$port answers the AMQP 0-9-1 header with a frame (connection.start begins with 0x01).
amqp_answers() {
  local reply
  reply=$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'AMQP\x00\x00\x09\x01' >&3 && head -c 1 <&3 | od -An -tx1" 2>/dev/null) || return 1
  [ "$(echo "$reply" | tr -d ' ')" = "01" ]
}

if amqp_answers; then
  exit 0
fi

if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
  install_debian_package rabbitmq-server
fi

export PATH="$PATH:/usr/sbin"
ctl=("${sudo_cmd[@]}" env ${RABBITMQ_NODENAME:+RABBITMQ_NODENAME=$RABBITMQ_NODENAME} rabbitmqctl)

# The node may be running but still booting (or not listening yet): only start one when none answers.
if ! "${ctl[@]}" -q ping >/dev/null 2>&1; then
  say "starting rabbitmq-server on 127.0.0.1:$port"
  "${sudo_cmd[@]}" env RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    ${RABBITMQ_NODENAME:+RABBITMQ_NODENAME=$RABBITMQ_NODENAME} rabbitmq-server -detached
fi

# await_startup gives up at once while the freshly detached node has not registered yet: retry until the deadline.
deadline=$((SECONDS + timeout))
until "${ctl[@]}" -q await_startup --timeout "$timeout" >/dev/null 2>&1 && amqp_answers; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    say "RabbitMQ did not come up on 127.0.0.1:$port within ${timeout}s (see /var/log/rabbitmq/)"
    exit 1
  fi
  sleep 1
done
say "RabbitMQ is up on 127.0.0.1:$port"
