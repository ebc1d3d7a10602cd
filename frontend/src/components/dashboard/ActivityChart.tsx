// A day-by-day chart of the dashboard, drawn by uPlot (a small canvas chart library bundled
// into the SPA: no network). The numbers are also in a table for screen readers and for
// browsers where the canvas cannot draw.
import { useEffect, useId, useRef } from 'react';
import type uPlotType from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount } from '../../format';

export interface ChartSeries {
  label: string;
  /** One value a day, aligned with `days`. */
  values: readonly number[];
  color: string;
}

/** Colours with at least 3:1 contrast on white, told apart by hue; stores take them in turn. */
export const SERIES_COLORS = ['#1f5fbf', '#1b7a3d', '#9a5b00', '#7a3fb5', '#b42318', '#0e7490', '#4b5563'];

const DAY_LABEL = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "Dec 5" for "2026-12-05" (the day is the server's date in the browser's time zone). */
export function dayLabel(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? day : DAY_LABEL.format(t);
}

export function ActivityChart({
  title,
  days,
  series,
  bars = false,
  testId,
}: {
  title: string;
  /** YYYY-MM-DD, oldest first. */
  days: readonly string[];
  series: readonly ChartSeries[];
  /** Bars (one series) rather than lines. */
  bars?: boolean;
  testId?: string;
}) {
  const captionId = useId();
  const holder = useRef<HTMLDivElement>(null);
  const totals = series.map((s) => s.values.reduce((a, b) => a + b, 0));

  const key = JSON.stringify([days, series, bars]);
  useEffect(() => {
    const el = holder.current;
    // jsdom and very old browsers have no matchMedia (uPlot needs it): the table stands in.
    if (!el || typeof window.matchMedia !== 'function' || days.length === 0) return;
    let plot: uPlotType | null = null;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    void import('uplot').then(({ default: uPlot }) => {
      if (cancelled) return;
      const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
      const width = () => Math.max(240, el.clientWidth);
      plot = new uPlot(
        {
          width: width(),
          height: 180,
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
          legend: { show: series.length > 1 },
          cursor: { drag: { x: false, y: false } },
          scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
          axes: [{ stroke: '#5b6675', grid: { show: false } }, { stroke: '#5b6675', size: 40 }],
          series: [
            {},
            ...series.map((s) => ({
              label: s.label,
              stroke: s.color,
              width: 2,
              fill: bars ? s.color : undefined,
              paths: bars ? uPlot.paths.bars?.({ size: [0.7, 24] }) : undefined,
              points: { show: !bars && days.length <= 31, size: 4 },
            })),
          ],
        },
        [xs, ...series.map((s) => [...s.values])],
        el,
      );
      observer = new ResizeObserver(() => plot?.setSize({ width: width(), height: 180 }));
      observer.observe(el);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
    // key covers days, series and bars.
  }, [key]);

  return (
    <figure className="chart" data-testid={testId} aria-labelledby={captionId}>
      <figcaption id={captionId}>
        <span className="chart-title">{title}</span>{' '}
        <span className="muted small">
          {series.map((s, i) => `${s.label}: ${formatCount(totals[i] ?? 0)}`).join(' · ')}
        </span>
      </figcaption>
      <div className="chart-canvas" ref={holder} aria-hidden="true" />
      <table className="visually-hidden">
        <caption>{title}, per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {series.map((s) => (
              <th key={s.label} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((d, i) => (
            <tr key={d}>
              <th scope="row">{dayLabel(d)}</th>
              {series.map((s) => (
                <td key={s.label}>{formatCount(s.values[i] ?? 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
