# Sourced by the service scripts: install_debian_package NAME installs a Debian package quietly, without letting its
# maintainer scripts start the service (no init system here; the caller starts it on 127.0.0.1 itself).
# Uses the caller's sudo_cmd array (empty when root) and its say function.
install_debian_package() {
  if [ "${#sudo_cmd[@]}" -gt 0 ] && ! command -v sudo >/dev/null 2>&1; then
    say "$1 is not installed and this user is neither root nor has sudo"
    exit 1
  fi
  say "installing Debian's $1"
  # The policy hook Debian's maintainer scripts honour, unless the machine already has one.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
    "${sudo_cmd[@]}" chmod 755 "$policy"
    trap '"${sudo_cmd[@]}" rm -f "$policy"' EXIT
  fi
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null
}
