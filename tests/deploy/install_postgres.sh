#!/bin/sh
# Install Debian's PostgreSQL server for the deployment test (tests/deploy/), called by `make test`. Only the
# programs: the package's own cluster is not created (create_main_cluster = false), so no server is left running;
# the test starts and stops a server of its own. Needs apt-get as root; elsewhere the test is skipped with a reason.
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "PostgreSQL could not be installed (needs apt-get as root); the deployment test will be skipped."
	exit 0
fi
install() { apt-get install -y -qq "$@" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; }; }
install postgresql-common || exit 0
conf=/etc/postgresql-common/createcluster.conf
if grep -q '^#\?\s*create_main_cluster' "$conf" 2>/dev/null; then
	sed -i 's/^#\?\s*create_main_cluster.*/create_main_cluster = false/' "$conf"
else
	echo "create_main_cluster = false" >> "$conf"
fi
install postgresql || echo "PostgreSQL could not be installed; the deployment test will be skipped."
exit 0
