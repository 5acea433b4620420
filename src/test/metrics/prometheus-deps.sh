#!/usr/bin/env bash
# Installs what the real-Prometheus test (serve.PrometheusQuantileTest) needs: Debian's prometheus
# (2.42 on bookworm; native histograms behind --enable-feature=native-histograms). The test runs its
# own Prometheus on loopback with a temporary config and data folder; this script never starts one.
# Where the install starts the package's own service (a machine with systemd), the test's instances
# still use ports of their own. Idempotent; needs root to install, otherwise says what to install.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../../../installer/ensure-debs.sh"
ensure_debs prometheus-deps prometheus
