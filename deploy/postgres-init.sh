#!/bin/sh
# Creates one database per subgraph on first start of the postgres container.
# (The subgraphs also create a missing database themselves at start.)
set -eu
for name in users devices apps billing notifications scheduler; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -c "CREATE DATABASE cloudphone_${name}" || true
done
