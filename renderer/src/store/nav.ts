/**
 * Which screen the logged-in staff member is on. A screen can send them to another (the 会员 screen's 新增会员
 * opens 开卡); a new login starts on the role's home screen again.
 */
import { create } from 'zustand';

interface NavState {
  /** The screen chosen, or null for the role's first screen. */
  chosen: string | null;
  choose(id: string | null): void;
}

export const useNav = create<NavState>((set) => ({
  chosen: null,
  choose: (id) => set({ chosen: id }),
}));
