/**
 * Every problem and fix a diagnostic can report, in English and Simplified Chinese, written for a store
 * technician. `{name}` placeholders come from the finding's params. The renderer may use these or its
 * own i18n keyed by the same codes.
 */
import type { Finding } from './finding';

export type Language = 'en' | 'zh-CN';

interface Text {
  readonly en: string;
  readonly 'zh-CN': string;
}

export const PROBLEMS: Readonly<Record<string, Text>> = {
  PCSCD_NOT_INSTALLED: {
    en: 'The smart-card service (pcscd) is not installed, so no card reader can be used.',
    'zh-CN': '未安装智能卡服务 (pcscd)，读卡器无法使用。',
  },
  PCSCD_NOT_RUNNING: {
    en: 'The smart-card service (pcscd) is not running, so card readers are not seen.',
    'zh-CN': '智能卡服务 (pcscd) 未运行，系统找不到读卡器。',
  },
  PCSCD_SOCKET_STALE: {
    en: 'The smart-card service left a dead socket at {socket}; nothing answers on it.',
    'zh-CN': '智能卡服务在 {socket} 留下了失效的套接字，没有程序响应。',
  },
  PCSCD_SOCKET_MISSING: {
    en: 'pcscd is running but its socket {socket} is missing, so the app cannot reach it.',
    'zh-CN': 'pcscd 正在运行，但找不到它的套接字 {socket}，程序无法连接。',
  },
  ACR122U_CLAIMED_BY_PN533: {
    en: 'The ACR122U card reader is taken by the kernel NFC driver ({module}), so pcscd cannot use it.',
    'zh-CN': 'ACR122U 读卡器被系统内核的 NFC 驱动 ({module}) 占用，pcscd 无法使用它。',
  },
  PN533_MODULE_LOADED: {
    en: 'The kernel NFC driver ({module}) is loaded and will take the ACR122U reader when it is plugged in again.',
    'zh-CN': '内核 NFC 驱动 ({module}) 已加载，ACR122U 读卡器重新插入时会被它占用。',
  },
  PERMISSION_DENIED: {
    en: 'The app may not open {path} ({device}); its group is {group}.',
    'zh-CN': '程序没有权限打开 {path}（{device}），该设备属于 {group} 组。',
  },
  CHECK_FAILED: {
    en: 'This check could not run: {error}',
    'zh-CN': '此项检查无法执行：{error}',
  },
  DISCOVERY_SOURCE_FAILED: {
    en: 'Devices of the kind "{source}" could not be listed ({code}: {error}); some devices may be missing from the list.',
    'zh-CN': '无法列出"{source}"类设备（{code}：{error}），设备列表可能不完整。',
  },
  PRINTER_NO_STATUS: {
    en: 'The printer at {address} accepts data but answers no status request, so paper-out and cover-open go unnoticed.',
    'zh-CN': '{address} 的打印机能接收数据，但不回应状态查询，缺纸或开盖时程序无法得知。',
  },
  PRINTER_UNREACHABLE: {
    en: 'No printer answers at {address} ({error}).',
    'zh-CN': '{address} 上没有打印机响应（{error}）。',
  },
  PRINTER_OFFLINE: {
    en: 'The printer at {address} reports that it is offline (cover open, paper out or an error).',
    'zh-CN': '{address} 的打印机报告离线（可能开盖、缺纸或出错）。',
  },
};

export const FIXES: Readonly<Record<string, Text>> = {
  INSTALL_PCSCD: {
    en: 'Install it: sudo apt install pcscd libccid — then restart this app.',
    'zh-CN': '请安装：sudo apt install pcscd libccid，然后重启本程序。',
  },
  START_PCSCD: {
    en: 'Start it and have it start at boot: sudo systemctl enable --now pcscd.socket',
    'zh-CN': '启动服务并设为开机自启：sudo systemctl enable --now pcscd.socket',
  },
  RESTART_PCSCD: {
    en: 'Restart it: sudo systemctl restart pcscd.socket pcscd',
    'zh-CN': '重启服务：sudo systemctl restart pcscd.socket pcscd',
  },
  BLACKLIST_PN533: {
    en: 'Keep the kernel driver off the reader: sudo cp {shipped} {blacklist} (or write the lines "blacklist pn533_usb", "blacklist pn533", "blacklist nfc" into it), then sudo modprobe -r pn533_usb pn533, sudo systemctl restart pcscd, and unplug and re-plug the reader.',
    'zh-CN':
      '禁止内核驱动占用读卡器：sudo cp {shipped} {blacklist}（或在该文件中写入 "blacklist pn533_usb"、"blacklist pn533"、"blacklist nfc" 三行），再执行 sudo modprobe -r pn533_usb pn533 和 sudo systemctl restart pcscd，然后拔插读卡器。',
  },
  JOIN_GROUP: {
    en: 'Add the user that runs the app to the {needs} group: sudo usermod -aG {needs} {user} — then log out and in again.',
    'zh-CN': '把运行本程序的用户加入 {needs} 组：sudo usermod -aG {needs} {user}，然后注销并重新登录。',
  },
  INSTALL_UDEV_RULES: {
    en: 'Install the device rules that come with the app: sudo cp {shipped} {rules}, then sudo udevadm control --reload-rules && sudo udevadm trigger, add the user to the {needs} group (sudo usermod -aG {needs} {user}), log in again and re-plug the device.',
    'zh-CN':
      '安装随程序提供的设备规则：sudo cp {shipped} {rules}，再执行 sudo udevadm control --reload-rules && sudo udevadm trigger，把用户加入 {needs} 组（sudo usermod -aG {needs} {user}），重新登录后拔插设备。',
  },
  CHECK_PRINTER_STATUS: {
    en: 'Check that the printer is an ESC/POS model with status back enabled (printer settings or its utility), or pair it as a printer without status; receipts still print.',
    'zh-CN':
      '请确认打印机为 ESC/POS 型号并已开启状态回传（在打印机设置或配置工具中），或按"无状态回传"方式配对；小票仍可打印。',
  },
  CHECK_PRINTER_NETWORK: {
    en: 'Check that the printer is switched on, its network cable is in, and its address and port (usually 9100) match its self-test page.',
    'zh-CN': '请检查打印机已开机、网线已接好，地址和端口（通常为 9100）与自检页一致。',
  },
  CHECK_FAILED: {
    en: 'Save a diagnostics bundle and send it to support.',
    'zh-CN': '请导出诊断包并发送给技术支持。',
  },
  INSTALL_UDEV: {
    en: 'Serial ports are listed through udev: sudo apt install udev — USB serial ports under /dev are still shown meanwhile.',
    'zh-CN': '串口列表依赖 udev：请执行 sudo apt install udev；在此之前仍会显示 /dev 下的 USB 串口。',
  },
  INSTALL_HID_LIBRARIES: {
    en: 'Install the libraries the HID driver needs: sudo apt install libudev1 libusb-1.0-0 — then restart this app.',
    'zh-CN': '请安装 HID 驱动所需的库：sudo apt install libudev1 libusb-1.0-0，然后重启本程序。',
  },
  INSTALL_PCSC_LIBRARY: {
    en: 'Install the PC/SC client library: sudo apt install libpcsclite1 pcscd — then restart this app.',
    'zh-CN': '请安装 PC/SC 客户端库：sudo apt install libpcsclite1 pcscd，然后重启本程序。',
  },
  CLEAR_PRINTER_FAULT: {
    en: 'Close the cover, load paper, and press the feed button once; if the error light stays on, switch the printer off and on.',
    'zh-CN': '请合上机盖、装好纸并按一次走纸键；若错误灯仍亮，请关闭打印机电源后重新打开。',
  },
};

const fill = (template: string, params: Readonly<Record<string, string>>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);

/** A finding in plain words; null fields when the check passed. */
export function describeFinding(
  finding: Finding,
  language: Language = 'en',
): { problem: string | null; fix: string | null } {
  const problem = finding.problem === null ? undefined : PROBLEMS[finding.problem];
  const fix = finding.fix === null ? undefined : FIXES[finding.fix];
  return {
    problem: problem ? fill(problem[language], finding.params) : finding.problem,
    fix: fix ? fill(fix[language], finding.params) : finding.fix,
  };
}
