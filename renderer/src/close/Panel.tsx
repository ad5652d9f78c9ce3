/**
 * A panel of the shift, day-close and reports screens: a section named by its heading, so a screen reader
 * lists it among the page's regions and a person (or a test) finds it by that name.
 */
import { type ReactNode, useId } from 'react';

export function Panel({
  title,
  level = 2,
  className = 'close-panel',
  children,
}: {
  title: ReactNode;
  level?: 2 | 3;
  className?: string;
  children: ReactNode;
}) {
  const heading = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className={className} aria-labelledby={heading}>
      <Heading id={heading}>{title}</Heading>
      {children}
    </section>
  );
}
