// Proves: the console's charts of counts have whole-number ticks (never "2.5 model calls"), a scale that reaches
// the largest value (the overview's "Times in UTC" is checked in browser.test.ts).
import { barChart, countScale, lineChart } from '../../src/admin/charts';

/** The y axis labels of a chart's markup, bottom to top. */
function yTicks(markup: string): string[] {
  return [...markup.matchAll(/<text class="axis" x="46" [^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
}

describe('chart axes', () => {
  test('10 model calls in a day: ticks 0, 5, 10, not 2.5 and 7.5', () => {
    const chart = barChart({
      id: 'calls-chart',
      title: 'Model calls per day',
      labels: ['12-05', '12-06'],
      series: [{ name: 'Calls', className: 'series-a', values: [3, 10] }],
    });
    expect(yTicks(chart.markup)).toEqual(['0', '5', '10']);
  });

  test('few calls count one by one; tokens in round thousands; every scale reaches the top value', () => {
    expect(countScale(0)).toEqual({ step: 1, steps: 4 });
    expect(countScale(3)).toEqual({ step: 1, steps: 4 });
    expect(countScale(7)).toEqual({ step: 2, steps: 4 });
    expect(countScale(5000)).toEqual({ step: 2000, steps: 3 });
    for (const value of [1, 4, 5, 9, 11, 17, 99, 101, 1234, 98765]) {
      const scale = countScale(value);
      expect(Number.isInteger(scale.step)).toBe(true);
      expect(scale.step * scale.steps).toBeGreaterThanOrEqual(value);
      expect(scale.steps).toBeLessThanOrEqual(4);
    }
    const tokens = lineChart({
      id: 'tokens',
      title: 'Tokens',
      labels: ['a'],
      series: [{ name: 'In', className: 'series-a', values: [5000] }],
    });
    expect(yTicks(tokens.markup)).toEqual(['0', '2k', '4k', '6k']);
  });
});
