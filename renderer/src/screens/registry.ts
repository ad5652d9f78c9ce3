/**
 * The screens a logged-in staff member can switch between. Each entry names the permission it needs, so the nav
 * shows only what the role may use (the host enforces the same table on every command). The counter is home.
 * A new screen is one entry here and one label in `i18n/messages.ts`.
 */
import { type ComponentType, lazy } from 'react';
import type { Permission } from '../../../electron/contract/permissions';
import type { MessageKey } from '../i18n/messages';
import { ActivationScreen } from './ActivationScreen';
import { BackupsScreen } from './BackupsScreen';
import { CardServiceScreen } from './CardServiceScreen';
import { CounterScreen } from './CounterScreen';
import { DayCloseScreen } from './DayCloseScreen';
import { DevicesScreen } from './DevicesScreen';
import { MembersScreen } from './MembersScreen';
import { RulesScreen } from './RulesScreen';
import { ShiftScreen } from './ShiftScreen';
import { StaffScreen } from './StaffScreen';

/**
 * The reports screen and its charts (Apache ECharts) are a chunk of their own, fetched when a manager first
 * opens the screen, so the counter's bundle carries none of it.
 */
const ReportsScreen = lazy(() => import('./ReportsScreen').then((m) => ({ default: m.ReportsScreen })));

export interface ScreenEntry {
  id: string;
  label: MessageKey;
  /** Shown when the session holds any one of these. */
  needs: readonly Permission[];
  component: ComponentType;
}

export const SCREENS: readonly ScreenEntry[] = [
  { id: 'counter', label: 'nav.counter', needs: ['card.read'], component: CounterScreen },
  { id: 'members', label: 'nav.members', needs: ['members.read'], component: MembersScreen },
  { id: 'activation', label: 'nav.activation', needs: ['cards.activate'], component: ActivationScreen },
  {
    id: 'cards',
    label: 'nav.cards',
    needs: ['cards.activate', 'cards.manage'],
    component: CardServiceScreen,
  },
  { id: 'devices', label: 'nav.devices', needs: ['devices.read'], component: DevicesScreen },
  { id: 'shift', label: 'nav.shift', needs: ['shift.operate'], component: ShiftScreen },
  { id: 'day-close', label: 'nav.dayClose', needs: ['day.close'], component: DayCloseScreen },
  { id: 'reports', label: 'nav.reports', needs: ['reports.read'], component: ReportsScreen },
  { id: 'rules', label: 'nav.rules', needs: ['rules.manage'], component: RulesScreen },
  { id: 'backups', label: 'nav.backups', needs: ['backups.manage'], component: BackupsScreen },
  { id: 'staff', label: 'nav.staff', needs: ['staff.manage'], component: StaffScreen },
];

export function screensFor(permissions: readonly string[]): ScreenEntry[] {
  return SCREENS.filter((screen) => screen.needs.some((permission) => permissions.includes(permission)));
}
