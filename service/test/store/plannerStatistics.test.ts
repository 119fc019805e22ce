import { statisticsDueAfterPage } from '../../src/store/plannerStatistics';

describe('planner statistics during a load', () => {
  it('are refreshed each time the loaded pages double', () => {
    const due = [...Array(70).keys()].filter(statisticsDueAfterPage);
    expect(due).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });
});
