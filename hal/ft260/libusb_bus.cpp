// The real USB side of the FT260 transport, with libusb-1.0.
#include <libusb-1.0/libusb.h>

#include "core/util/error.h"
#include "hal/ft260/ft260_reports.h"
#include "hal/ft260/usb_hid_device.h"

namespace optiga::hal::ft260 {
namespace {

using Context = std::shared_ptr<libusb_context>;

struct HandleCloser {
  void operator()(libusb_device_handle* h) const { libusb_close(h); }
};
using Handle = std::unique_ptr<libusb_device_handle, HandleCloser>;

struct DeviceListFree {
  void operator()(libusb_device** list) const { libusb_free_device_list(list, 1); }
};

struct ConfigFree {
  void operator()(libusb_config_descriptor* c) const { libusb_free_config_descriptor(c); }
};

UsbStatus status_of(int rc) {
  switch (rc) {
    case LIBUSB_SUCCESS: return UsbStatus::ok;
    case LIBUSB_ERROR_TIMEOUT: return UsbStatus::timeout;
    case LIBUSB_ERROR_NO_DEVICE: return UsbStatus::no_device;
    case LIBUSB_ERROR_ACCESS: return UsbStatus::access_denied;
    case LIBUSB_ERROR_BUSY: return UsbStatus::busy;
    case LIBUSB_ERROR_PIPE: return UsbStatus::pipe;
    default: return UsbStatus::io_error;
  }
}

class LibusbHidDevice final : public UsbHidDevice {
 public:
  LibusbHidDevice(Context context, Handle handle, std::uint8_t in_ep, std::uint8_t out_ep, bool detached,
                  std::string name)
      : context_(std::move(context)), handle_(std::move(handle)), in_ep_(in_ep), out_ep_(out_ep),
        detached_(detached), name_(std::move(name)) {}

  ~LibusbHidDevice() override {
    libusb_release_interface(handle_.get(), 0);
    // Give the bridge back to hid-ft260 so /dev/i2c-N reappears for other tools.
    if (detached_) libusb_attach_kernel_driver(handle_.get(), 0);
  }

  UsbResult control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value,
                             std::uint16_t index, std::span<std::uint8_t> data, unsigned timeout_ms) override {
    const int rc = libusb_control_transfer(handle_.get(), request_type, request, value, index, data.data(),
                                           static_cast<std::uint16_t>(data.size()), timeout_ms);
    if (rc < 0) return {status_of(rc), 0};
    return {UsbStatus::ok, static_cast<std::size_t>(rc)};
  }

  UsbResult interrupt_out(ByteView report, unsigned timeout_ms) override {
    Bytes buffer(report.begin(), report.end());  // libusb takes a non-const buffer
    return interrupt(out_ep_, buffer, timeout_ms);
  }

  UsbResult interrupt_in(std::span<std::uint8_t> report, unsigned timeout_ms) override {
    return interrupt(in_ep_, report, timeout_ms);
  }

  std::string describe() const override { return name_; }

 private:
  UsbResult interrupt(std::uint8_t endpoint, std::span<std::uint8_t> data, unsigned timeout_ms) {
    int transferred = 0;
    const int rc = libusb_interrupt_transfer(handle_.get(), endpoint, data.data(), static_cast<int>(data.size()),
                                             &transferred, timeout_ms);
    return {status_of(rc), static_cast<std::size_t>(transferred)};
  }

  Context context_;  // outlives the handle
  Handle handle_;
  std::uint8_t in_ep_;
  std::uint8_t out_ep_;
  bool detached_;
  std::string name_;
};

class LibusbBus final : public UsbBus {
 public:
  LibusbBus() {
    libusb_context* raw = nullptr;
    if (const int rc = libusb_init(&raw); rc != LIBUSB_SUCCESS) {
      throw TransportError(std::string("cannot initialise libusb: ") + libusb_strerror(rc));
    }
    context_ = Context(raw, libusb_exit);
  }

  std::vector<Ft260Candidate> list_ft260() override {
    std::vector<Ft260Candidate> found;
    libusb_device** raw = nullptr;
    const auto count = libusb_get_device_list(context_.get(), &raw);
    if (count < 0) return found;
    std::unique_ptr<libusb_device*, DeviceListFree> list(raw);
    for (ssize_t i = 0; i < count; ++i) {
      libusb_device_descriptor desc{};
      if (libusb_get_device_descriptor(raw[i], &desc) != 0) continue;
      if (desc.idVendor != usb_vendor_id || desc.idProduct != usb_product_id) continue;
      Ft260Candidate c;
      c.bus_number = libusb_get_bus_number(raw[i]);
      c.device_address = libusb_get_device_address(raw[i]);
      libusb_device_handle* h = nullptr;
      const int rc = libusb_open(raw[i], &h);
      if (rc == LIBUSB_ERROR_ACCESS) {
        c.access_denied = true;
      } else if (rc == LIBUSB_SUCCESS) {
        Handle handle(h);
        unsigned char serial[128] = {};
        if (desc.iSerialNumber != 0 &&
            libusb_get_string_descriptor_ascii(handle.get(), desc.iSerialNumber, serial, sizeof serial) > 0) {
          c.serial = reinterpret_cast<const char*>(serial);
        } else {
          c.serial = "";
        }
      }
      found.push_back(std::move(c));
    }
    return found;
  }

  std::unique_ptr<UsbHidDevice> open(const Ft260Candidate& candidate) override {
    libusb_device** raw = nullptr;
    const auto count = libusb_get_device_list(context_.get(), &raw);
    std::unique_ptr<libusb_device*, DeviceListFree> list(count >= 0 ? raw : nullptr);
    for (ssize_t i = 0; i < count; ++i) {
      if (libusb_get_bus_number(raw[i]) == candidate.bus_number &&
          libusb_get_device_address(raw[i]) == candidate.device_address) {
        return open_device(raw[i], candidate);
      }
    }
    throw TransportError("the FT260 at " + candidate.location() + " disappeared: check the USB cable");
  }

 private:
  std::unique_ptr<UsbHidDevice> open_device(libusb_device* device, const Ft260Candidate& candidate) {
    const std::string where = "the FT260 at " + candidate.location();
    libusb_device_handle* h = nullptr;
    if (const int rc = libusb_open(device, &h); rc != LIBUSB_SUCCESS) {
      if (rc == LIBUSB_ERROR_ACCESS) {
        throw TransportError("permission denied opening " + where +
                             ": install the udev rule 60-optiga.rules, add yourself to group plugdev, and replug");
      }
      throw TransportError("cannot open " + where + ": " + libusb_strerror(rc));
    }
    Handle handle(h);
    // hid-ft260 (Linux >= 5.13) binds the bridge as /dev/i2c-N; HID reports need it detached.
    bool detached = false;
    if (libusb_kernel_driver_active(handle.get(), 0) == 1) {
      if (const int rc = libusb_detach_kernel_driver(handle.get(), 0); rc != LIBUSB_SUCCESS) {
        throw TransportError("cannot detach the kernel driver from " + where + ": " + libusb_strerror(rc) +
                             " (or use it through hid-ft260 as i2c:/dev/i2c-N)");
      }
      detached = true;
    }
    if (const int rc = libusb_claim_interface(handle.get(), 0); rc != LIBUSB_SUCCESS) {
      if (detached) libusb_attach_kernel_driver(handle.get(), 0);
      throw TransportError(where + " is in use by another program (" + libusb_strerror(rc) + ")");
    }
    std::uint8_t in_ep = 0;
    std::uint8_t out_ep = 0;
    libusb_config_descriptor* raw_config = nullptr;
    if (libusb_get_active_config_descriptor(device, &raw_config) == LIBUSB_SUCCESS) {
      std::unique_ptr<libusb_config_descriptor, ConfigFree> config(raw_config);
      if (config->bNumInterfaces > 0 && config->interface[0].num_altsetting > 0) {
        const auto& alt = config->interface[0].altsetting[0];
        for (int e = 0; e < alt.bNumEndpoints; ++e) {
          const auto& ep = alt.endpoint[e];
          if ((ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_INTERRUPT) continue;
          if (ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) in_ep = ep.bEndpointAddress;
          else out_ep = ep.bEndpointAddress;
        }
      }
    }
    if (in_ep == 0 || out_ep == 0) {
      libusb_release_interface(handle.get(), 0);
      if (detached) libusb_attach_kernel_driver(handle.get(), 0);
      throw TransportError(where + " has no interrupt endpoints on interface 0: is it really an FT260 in I2C mode?");
    }
    const std::string name = "FT260 " + candidate.serial.value_or("?") + " (" + candidate.location() + ")";
    return std::make_unique<LibusbHidDevice>(context_, std::move(handle), in_ep, out_ep, detached, name);
  }

  Context context_;
};

}  // namespace

std::unique_ptr<UsbBus> make_libusb_bus() { return std::make_unique<LibusbBus>(); }

}  // namespace optiga::hal::ft260
