//! `atspec ports`: the serial ports of this machine, with the USB vendor and
//! product where the system tells them.

use tokio_serial::{SerialPortInfo, SerialPortType};

/// The ports, sorted by name, or the system's error.
pub fn list() -> Result<Vec<SerialPortInfo>, tokio_serial::Error> {
    let mut ports = tokio_serial::available_ports()?;
    ports.sort_by(|a, b| a.port_name.cmp(&b.port_name));
    Ok(ports)
}

/// One line per port: its name, then what it is.
pub fn to_text(ports: &[SerialPortInfo]) -> String {
    if ports.is_empty() {
        return "no serial ports found\n".to_owned();
    }
    let mut out = String::new();
    for port in ports {
        let what = match &port.port_type {
            SerialPortType::UsbPort(usb) => {
                let mut what = format!("USB {:04x}:{:04x}", usb.vid, usb.pid);
                for part in [&usb.manufacturer, &usb.product].into_iter().flatten() {
                    what.push(' ');
                    what.push_str(part);
                }
                if let Some(serial) = &usb.serial_number {
                    what.push_str(&format!(" (serial {serial})"));
                }
                what
            }
            SerialPortType::PciPort => "PCI".to_owned(),
            SerialPortType::BluetoothPort => "Bluetooth".to_owned(),
            SerialPortType::Unknown => "unknown kind".to_owned(),
        };
        out.push_str(&format!("{}\t{what}\n", port.port_name));
    }
    out
}

/// One JSON object per port.
pub fn to_json(port: &SerialPortInfo) -> serde_json::Value {
    match &port.port_type {
        SerialPortType::UsbPort(usb) => serde_json::json!({
            "port": port.port_name,
            "kind": "usb",
            "vid": usb.vid,
            "pid": usb.pid,
            "manufacturer": usb.manufacturer,
            "product": usb.product,
            "serial_number": usb.serial_number,
        }),
        SerialPortType::PciPort => serde_json::json!({ "port": port.port_name, "kind": "pci" }),
        SerialPortType::BluetoothPort => {
            serde_json::json!({ "port": port.port_name, "kind": "bluetooth" })
        }
        SerialPortType::Unknown => serde_json::json!({ "port": port.port_name, "kind": "unknown" }),
    }
}

/// Runs `atspec ports`.
pub fn run(json: bool) -> Result<(), crate::exit::Failure> {
    let ports = list().map_err(|e| {
        crate::exit::Failure::connection(format!("cannot list the serial ports: {e}"))
    })?;
    if json {
        for port in &ports {
            println!("{}", to_json(port));
        }
    } else {
        print!("{}", to_text(&ports));
    }
    Ok(())
}
