/**
 * A box for content wider than the page (a profile table, a 60-class confusion matrix): it scrolls
 * sideways instead of widening the page, is focusable (tabindex 0) and labelled, so a keyboard user
 * can reach it and scroll it with the arrow keys (axe's `scrollable-region-focusable`), and says
 * "Scroll sideways" above itself whenever its content overflows it, at any screen width (a screen
 * reader reads the table cell by cell, so the hint is hidden from it).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/** `children` in a sideways-scrolling region named `label`. */
export function ScrollBox({ label, children }: { label: string; children: ComponentChildren }) {
  const box = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = box.current!;
    const check = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    check();
    // The box resizes with the window; its content grows with the data (a "More" page, a reload).
    const observer = new ResizeObserver(check);
    observer.observe(el);
    for (const child of el.children) observer.observe(child);
    return () => observer.disconnect();
  }, []);
  return (
    <>
      {overflows ? (
        <p class="scroll-hint" aria-hidden="true">
          Scroll sideways for more columns →
        </p>
      ) : null}
      <div ref={box} class="scroll" tabIndex={0} role="region" aria-label={label}>
        {children}
      </div>
    </>
  );
}
