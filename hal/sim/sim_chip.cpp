#include "hal/sim/sim_chip.h"

#include <algorithm>

#include "core/chip/ids.h"
#include "hal/sim/link_frame.h"

namespace optiga::sim {

SimChip::SimChip(std::unique_ptr<ApduEngine> engine, const SimOptions& options, SimCounters& counters)
    : engine_(std::move(engine)),
      options_(options),
      counters_(counters),
      faults_(options.faults),
      presentation_(options.model) {}

std::uint64_t SimChip::startup_us() const {
  // Trust M needs 15 ms, Trust X 10 ms; the Infineon host waits 12 ms and rides out the rest
  // with its NACK retries, so modelling it exercises that path.
  return options_.model == chip::Model::trust_x ? 10'000 : 15'000;
}

void SimChip::settle(std::uint64_t now) {
  if (pending_reset_at_ && now >= *pending_reset_at_) reset_chip(*pending_reset_at_);
}

bool SimChip::address_ack(std::uint64_t now) {
  settle(now);
  if (now < startup_until_) return false;
  bool burst_started = false;
  const bool nack = faults_.nack_transaction(burst_started);
  if (burst_started) ++counters_.fault_nack_bursts;
  return !nack;
}

void SimChip::write(ByteView data, std::uint64_t now) {
  if (data.empty()) return;
  const std::uint8_t address = data[0];
  registers_.set_pointer(address);
  const ByteView value = data.subspan(1);
  if (value.empty()) return;
  switch (address) {
    case reg::data:
      on_frame(value, now);
      break;
    case reg::soft_reset:
      reset_chip(now);  // any value resets (spec §1.5)
      break;
    default:
      registers_.write(address, value);
      break;
  }
}

void SimChip::read(std::span<std::uint8_t> out, std::uint64_t now) {
  Bytes value;
  switch (registers_.pointer()) {
    case reg::data:
      value = read_data(now);
      break;
    case reg::i2c_state:
      value = i2c_state_bytes(link_.busy(now), link_.ready_length(now), presentation_supported());
      break;
    default:
      value = registers_.read(registers_.pointer());
      break;
  }
  std::fill(out.begin(), out.end(), std::uint8_t{0xFF});
  std::copy_n(value.begin(), std::min(value.size(), out.size()), out.begin());
}

Bytes SimChip::read_data(std::uint64_t now) {
  Bytes frame = link_.take(now);
  if (frame.empty()) return frame;
  ++counters_.frames_from_chip;
  if (faults_.drop_from_chip()) {
    // The frame leaves the FIFO but never arrives: the host reads 0xFF and must recover by
    // retransmitting or NAKing, which makes the link re-offer it.
    ++counters_.fault_drop_from_chip;
    return {};
  }
  if (faults_.corrupt_from_chip()) {
    ++counters_.fault_corrupt_from_chip;
    faults_.flip_bit(frame);
  }
  return frame;
}

void SimChip::on_frame(ByteView written, std::uint64_t now) {
  ++counters_.frames_to_chip;
  if (faults_.drop_to_chip()) {
    ++counters_.fault_drop_to_chip;
    return;
  }
  Bytes frame(written.begin(), written.end());
  if (faults_.corrupt_to_chip()) {
    ++counters_.fault_corrupt_to_chip;
    faults_.flip_bit(frame);
  }
  auto input = link_.receive(frame, registers_.data_reg_len(), now);
  switch (input.event) {
    case SimLink::Event::packet:
      on_packet(input.packet, now);
      break;
    case SimLink::Event::duplicate:
      // The host missed our answer: show it again, never execute the command twice. While the
      // command is still running, the host gets the control ACK again instead.
      if (!link_.busy(now) && link_.resend(now)) ++counters_.retransmissions;
      else link_.offer_ack();
      break;
    case SimLink::Event::nak:
      ++counters_.retransmissions;
      break;
    case SimLink::Event::acked:
      if (next_packet_ < answer_packets_.size()) send_next_packet(now);
      break;
    case SimLink::Event::resync:
      ++counters_.resyncs;
      assembler_.reset();
      answer_packets_.clear();
      next_packet_ = 0;
      break;
    case SimLink::Event::crc_error:
      ++counters_.crc_errors;
      ++counters_.naks_sent;
      break;
    case SimLink::Event::bad_size:
      if ((frame[0] & fctr::control) == 0) ++counters_.naks_sent;
      break;
    case SimLink::Event::out_of_order:
    case SimLink::Event::ignored:
      break;
  }
}

void SimChip::on_packet(ByteView packet, std::uint64_t now) {
  const auto result = assembler_.add(packet, registers_.max_packet());
  if (result == ChainAssembler::Result::host_chain_error) {
    // The host could not re-assemble our answer chain: send the whole chain again (spec §3.2).
    if (answer_packets_.empty()) {
      link_.offer_ack();
    } else {
      next_packet_ = 0;
      send_next_packet(now);
    }
    return;
  }
  answer_packets_.clear();  // a new command abandons an answer chain the host stopped reading
  next_packet_ = 0;
  switch (result) {
    case ChainAssembler::Result::incomplete:
      link_.offer_ack();
      break;
    case ChainAssembler::Result::error:
      ++counters_.chain_errors;
      answer_packets_ = {Bytes{pctr::chain_error}};
      send_next_packet(now);
      break;
    case ChainAssembler::Result::complete:
      on_message(assembler_.message(), assembler_.first_pctr(), now);
      break;
    case ChainAssembler::Result::host_chain_error:
      break;
  }
}

void SimChip::on_message(ByteView message, std::uint8_t first_pctr, std::uint64_t now) {
  auto outcome = presentation_.unwrap(message, first_pctr);
  if (outcome.kind == PresentationGate::Outcome::Kind::chain_error) {
    ++counters_.chain_errors;
    answer_packets_ = {Bytes{pctr::chain_error}};
    send_next_packet(now);
    return;
  }
  if (outcome.kind == PresentationGate::Outcome::Kind::reply) {
    answer(outcome.reply, outcome.presence_bits, now);
    return;
  }
  const ByteView apdu = outcome.apdu;
  const std::uint8_t command = apdu.empty() ? 0 : (apdu[0] & 0x7F);
  const bool writes_nvm = command == chip::cmd::set_data_object || command == chip::cmd::gen_key_pair;
  if (writes_nvm && faults_.power_loss()) {
    // Power fails before the tearing-safe NVM update commits: the engine never runs the command.
    ++counters_.fault_power_loss;
    reset_chip(now);
    return;
  }
  ++counters_.apdus;
  const ApduResult result = engine_->execute(apdu, now);
  std::uint64_t latency = options_.timing.chip_latency ? result.latency_us : 0;
  if (faults_.extra_busy()) {
    ++counters_.fault_busy;
    latency += faults_.busy_us();
  }
  if (faults_.reset_mid_command()) {
    // The command ran (its effects stay), but the chip resets halfway through its execution
    // time, so the response is lost and the host must re-open the application.
    ++counters_.fault_reset_mid_command;
    pending_reset_at_ = now + latency / 2;
  }
  Bytes reply = outcome.prefix;
  append(reply, result.response);
  link_.offer_ack();  // readable while BUSY, replaced by the response once it is ready
  answer(reply, outcome.presence_bits, now + latency);
}

void SimChip::answer(ByteView message, std::uint8_t presence_bits, std::uint64_t ready_at) {
  answer_packets_ = split_into_packets(message, registers_.max_packet(), presence_bits);
  next_packet_ = 0;
  send_next_packet(ready_at);
}

void SimChip::send_next_packet(std::uint64_t ready_at) {
  link_.send(answer_packets_[next_packet_], ready_at);
  ++next_packet_;
}

void SimChip::hardware_reset(std::uint64_t now) { reset_chip(now); }

void SimChip::reset_chip(std::uint64_t at) {
  ++counters_.resets;
  pending_reset_at_.reset();
  link_.reset();
  assembler_.reset();
  presentation_.reset();
  registers_.reset();
  answer_packets_.clear();
  next_packet_ = 0;
  faults_.end_burst();
  startup_until_ = at + startup_us();
  engine_->reset();
}

}  // namespace optiga::sim
