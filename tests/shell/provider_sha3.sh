#!/usr/bin/env bash
# Provider: ECDSA with SHA3-256/384/512 digests signed inside the chip (issue 10 item 13), in
# both provider orders, each signature verified by the default provider with the public key
# alone. (Certificates and CSRs signed with ecdsa-with-SHA3 are not covered: OpenSSL 3.0 cannot
# verify them, whoever signs — its signature-OID table lacks them.)
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state

openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F1 -out f1.ref
openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-384 -pkeyopt optiga-slot:0xE0F2 -out f2.ref
head -c 3000 /dev/urandom >msg
for slot in 0xE0F1 0xE0F2; do
  openssl pkey "${P[@]}" -in optiga:$slot -pubout -out pub.pem
  for order in "-provider optiga -provider default" "-provider default -provider optiga"; do
    for md in sha3-256 sha3-384 sha3-512; do
      # shellcheck disable=SC2086  # $order is an option list
      openssl dgst -provider-path "$provider_dir" $order -$md -sign optiga:$slot -out msg.sig msg
      openssl dgst -$md -verify pub.pem -signature msg.sig msg | grep -q "Verified OK" || fail "$slot $md [$order] does not verify"
      # The verifier is not a rubber stamp: another digest of the same message fails.
      if openssl dgst -sha256 -verify pub.pem -signature msg.sig msg >/dev/null 2>&1; then fail "$md signature verified as SHA-256"; fi
    done
  done
done
echo OK
