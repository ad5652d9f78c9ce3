/**
 * The manager's rules screen, one panel per concern: the bonus rules (充值送) and their versions, refunding a
 * top-up, the amount limits, the points rate and gifts with the bonus expiry, and the notices and exports.
 * Each panel loads and saves on its own (renderer/src/rules/).
 */
import { BonusRules } from '../rules/BonusRules';
import { NoticesAndExports } from '../rules/NoticesAndExports';
import { PointsPanel } from '../rules/PointsPanel';
import { TopUpRefunds } from '../rules/TopUpRefunds';
import { LimitsPanel } from './LimitsPanel';

export function RulesScreen() {
  return (
    <section className="close-screen rules-screen" data-testid="rules-screen">
      <BonusRules />
      <TopUpRefunds />
      <LimitsPanel />
      <PointsPanel />
      <NoticesAndExports />
    </section>
  );
}
