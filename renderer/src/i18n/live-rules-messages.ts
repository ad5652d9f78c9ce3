/**
 * The words of the live-book rules: the simulator kept to demo and training books, typed card numbers and a
 * manager's approval, and the offline caps while headquarters cannot be reached.
 */

export const liveRulesZh = {
  'error.SIMULATOR_UNAVAILABLE': '模拟器只在演示门店和培训模式中可用，正式门店请使用读卡器和刷卡器。',
};

export const liveRulesEn: Record<keyof typeof liveRulesZh, string> = {
  'error.SIMULATOR_UNAVAILABLE':
    'The simulator is only in the demo store and training mode; a live store uses its readers and swipers.',
};
