/**
 * One fact in a `<dl>`: its name and its value, grouped and the group named by the term, so a screen reader
 * says which value it reads and a test finds it by role and name
 * (`getByRole('group', { name: '会员数据扇区' }).getByRole('definition')`).
 */
import { type ReactNode, useId } from 'react';

export function Fact(props: {
  label: ReactNode;
  children: ReactNode;
  className?: string;
  /** The pair's own class, where a layout places pairs (a balance among balances) rather than terms and values. */
  groupClassName?: string;
  testId?: string;
}) {
  const term = useId();
  return (
    // biome-ignore lint/a11y/useSemanticElements: a term and its value are not form fields; the role only names the pair
    <div role="group" aria-labelledby={term} className={props.groupClassName}>
      <dt id={term}>{props.label}</dt>
      <dd className={props.className} data-testid={props.testId}>
        {props.children}
      </dd>
    </div>
  );
}
