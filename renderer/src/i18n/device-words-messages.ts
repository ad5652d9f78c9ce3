/**
 * The Devices screen's remaining words: where discovery looked and why a source failed, the printed test page,
 * choosing one reader among several, and the names of what a role card shows (its paired device, each test's
 * outcome), in Simplified Chinese and English.
 */

export const deviceWordsZh = {
  'devices.testPreview': '测试页打印内容',
  'devices.source.pcsc': '读卡服务（pcscd）',
  'devices.source.hid': 'USB 刷卡器（HID）',
  'devices.source.serial': '串口',
  'devices.source.usb-printer': 'USB 打印机',
  'devices.source.network-printer': '网络打印机',
  'devices.chooseReader': '选择读卡器',
  'devices.pairReader': '配对此读卡器',
  'devices.pairedDevice': '已配对的设备',
  'devices.outcome.reader': '读卡测试结果',
  'devices.outcome.swiper': '刷卡测试结果',
  'devices.outcome.printer': '打印测试结果',
  'devices.outcome.drawer': '钱箱测试结果',
  'error.PCSCD_NOT_RUNNING': '读卡服务 pcscd 没有运行。请运行“诊断”查看如何启动它。',
  'error.PCSC_UNAVAILABLE': '读卡服务无法使用。请运行“诊断”查看原因。',
  'error.SERIAL_LIST_FAILED': '无法列出串口。请检查串口权限（dialout 组）。',
  'error.USB_PRINTER_LIST_FAILED': '无法列出 USB 打印机。请检查打印机权限（lp 组）。',
  'error.NETWORK_PROBE_FAILED': '网络打印机没有应答。请检查地址、网线和打印机电源。',
} as const;

export const deviceWordsEn: Record<keyof typeof deviceWordsZh, string> = {
  'devices.testPreview': 'What the test page printed',
  'devices.source.pcsc': 'Card reader service (pcscd)',
  'devices.source.hid': 'USB swipers (HID)',
  'devices.source.serial': 'Serial ports',
  'devices.source.usb-printer': 'USB printers',
  'devices.source.network-printer': 'Network printers',
  'devices.chooseReader': 'Choose a reader',
  'devices.pairReader': 'Pair this reader',
  'devices.pairedDevice': 'Paired device',
  'devices.outcome.reader': 'Card test result',
  'devices.outcome.swiper': 'Swipe test result',
  'devices.outcome.printer': 'Test page result',
  'devices.outcome.drawer': 'Drawer test result',
  'error.PCSCD_NOT_RUNNING':
    'The card reader service pcscd is not running. Run Diagnose to see how to start it.',
  'error.PCSC_UNAVAILABLE': 'The card reader service cannot be used. Run Diagnose to see why.',
  'error.SERIAL_LIST_FAILED': 'Serial ports cannot be listed. Check the port permission (dialout group).',
  'error.USB_PRINTER_LIST_FAILED': 'USB printers cannot be listed. Check the printer permission (lp group).',
  'error.NETWORK_PROBE_FAILED': 'The network printer does not answer. Check its address, cable and power.',
};
