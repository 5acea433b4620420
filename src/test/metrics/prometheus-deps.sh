#!/usr/bin/env bash
# Installs what the real-Prometheus test (serve.PrometheusQuantileTest) needs: Debian's prometheus
# (2.42 on bookworm; native histograms behind --enable-feature=native-histograms). The test runs its
# own Prometheus on loopback with a temporary config and data folder; this script never starts one.
# Where the install starts the package's own service (a machine with systemd), the test's instances
# still use ports of their own. Idempotent; needs root to install, otherwise says what to install.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../../../installer/ensure-debs.sh"
was_installed=0
dpkg-query -W -f='${Status}' prometheus 2>/dev/null | grep -q "install ok installed" && was_installed=1
ensure_debs prometheus-deps prometheus
# The package enables and starts a system Prometheus on :9090 where systemd runs. A test dependency
# must not leave a server behind on a developer's machine: when this script installed it, that
# service is stopped and disabled (one the machine had before is left alone).
if [[ $was_installed == 0 && -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
    systemctl disable --now prometheus.service >/dev/null 2>&1 || true
fi
