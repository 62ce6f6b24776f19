/**
 * Charts as PNG images, drawn in-process with Chart.js on @napi-rs/canvas (Skia, its
 * binary an optional platform package: nothing is downloaded at install). Both are loaded
 * on the first chart only, so start-up does not pay for them. Text uses whatever fonts the
 * canvas finds on the machine; with none, the bars are still drawn and the message that
 * carries the image says the numbers.
 */
import type { MoodSeries } from '../core/stats.js';
import { STATS_MOODS } from '../core/stats.js';
import type { ReplyMood } from '../core/suggest-reply.js';

/** Each mood's colour, as the cards use them. */
export const MOOD_COLOURS: Readonly<Record<ReplyMood, string>> = {
  angry: '#ed4245',
  unhappy: '#faa61a',
  neutral: '#99aab5',
  happy: '#3ba55d',
};

/** A chart's size in pixels. */
export interface ChartSize {
  width: number;
  height: number;
}

/** The size charts are drawn at unless asked otherwise: wide enough for 30 days of bars. */
export const DEFAULT_CHART_SIZE: ChartSize = { width: 960, height: 480 };

type ChartModule = typeof import('chart.js');
type CanvasModule = typeof import('@napi-rs/canvas');
let loading: Promise<{ chart: ChartModule; canvas: CanvasModule }> | undefined;

/** Loads Chart.js (the parts a bar chart needs) and the canvas, once. */
function loadCharting(): Promise<{ chart: ChartModule; canvas: CanvasModule }> {
  loading ??= Promise.all([import('chart.js'), import('@napi-rs/canvas')]).then(([chart, canvas]) => {
    chart.Chart.register(chart.BarController, chart.BarElement, chart.CategoryScale, chart.LinearScale, chart.Legend, chart.Title);
    return { chart, canvas };
  });
  return loading;
}

/** A short axis label: `12-03` for a day, `14:00` for an hour. */
export function axisLabel(label: string, unit: MoodSeries['unit']): string {
  return unit === 'day' ? label.slice(5) : label.slice(11);
}

/**
 * The volume by mood per bucket as a stacked bar chart, a PNG on a white background.
 * `title` is drawn as text (see the module note on fonts).
 */
export async function renderMoodChart(series: MoodSeries, title: string, size: ChartSize = DEFAULT_CHART_SIZE): Promise<Buffer> {
  const { chart, canvas } = await loadCharting();
  const surface = canvas.createCanvas(size.width, size.height);
  const context = surface.getContext('2d');
  const drawn = new chart.Chart(context as unknown as ConstructorParameters<ChartModule['Chart']>[0], {
    type: 'bar',
    data: {
      labels: series.labels.map((label) => axisLabel(label, series.unit)),
      datasets: STATS_MOODS.map((mood) => ({ label: mood, data: series.counts[mood], backgroundColor: MOOD_COLOURS[mood] })),
    },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: {
        title: { display: true, text: title },
        // A mood with no mention in the period has no bar, so no key either.
        legend: { position: 'bottom', labels: { filter: (item) => series.counts[STATS_MOODS[item.datasetIndex ?? 0]!].some((n) => n > 0) } },
      },
    },
    plugins: [
      {
        id: 'white-background',
        beforeDraw: ({ ctx, width, height }) => {
          ctx.save();
          ctx.fillStyle = '#ffffff';
          ctx.fillRect(0, 0, width, height);
          ctx.restore();
        },
      },
    ],
  });
  try {
    return surface.toBuffer('image/png');
  } finally {
    drawn.destroy();
  }
}
