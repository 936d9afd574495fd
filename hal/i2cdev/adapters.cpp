#include "hal/i2cdev/adapters.h"

#include <algorithm>
#include <charconv>

namespace optiga::hal::i2cdev {

std::vector<I2cAdapter> list_i2c_adapters(SysCalls& sys) {
  std::vector<I2cAdapter> adapters;
  for (const auto& name : sys.list_dir("/dev")) {
    if (!name.starts_with("i2c-")) continue;
    int bus = -1;
    const char* first = name.data() + 4;
    const char* last = name.data() + name.size();
    const auto [ptr, ec] = std::from_chars(first, last, bus);
    if (ec != std::errc{} || ptr != last || first == last) continue;
    I2cAdapter adapter{bus, "/dev/" + name, {}};
    if (auto text = sys.read_text("/sys/class/i2c-adapter/" + name + "/name")) {
      while (!text->empty() && (text->back() == '\n' || text->back() == ' ')) text->pop_back();
      adapter.name = *text;
    }
    adapters.push_back(std::move(adapter));
  }
  std::sort(adapters.begin(), adapters.end(), [](const auto& a, const auto& b) { return a.bus < b.bus; });
  return adapters;
}

std::string describe_adapters(const std::vector<I2cAdapter>& adapters) {
  if (adapters.empty()) return "none";
  std::string out;
  for (const auto& a : adapters) {
    if (!out.empty()) out += ", ";
    out += a.path;
    if (!a.name.empty()) out += " (" + a.name + ")";
  }
  return out;
}

}  // namespace optiga::hal::i2cdev
