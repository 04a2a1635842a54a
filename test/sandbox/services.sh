# Every sandbox service, one file each, in start order (up.sh starts them in this order, down.sh stops them).
# Sourced after lib.sh; add a later service here.
# shellcheck disable=SC2034 # SERVICES is read by up.sh and down.sh
# shellcheck source=sshd.sh
. "$here/sshd.sh"
# shellcheck source=docker.sh
. "$here/docker.sh"
# shellcheck source=app.sh
. "$here/app.sh"
# shellcheck source=nginx.sh
. "$here/nginx.sh"
# shellcheck source=registry.sh
. "$here/registry.sh"
# shellcheck source=postgres.sh
. "$here/postgres.sh"
SERVICES=(sshd docker app nginx registry postgres)
