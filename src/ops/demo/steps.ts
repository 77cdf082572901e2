/** Numbered steps with the time each took, so a new user sees what happens and how long it lasts. */
export function stepper(print: (line: string) => void, totalSteps: number) {
  let started = Date.now();
  let current = '';
  return {
    step(n: number, title: string) {
      if (current !== '') print(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      started = Date.now();
      current = title;
      print('');
      print(`[${n}/${totalSteps}] ${title}`);
    },
    end() {
      if (current !== '') print(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      current = '';
    },
  };
}
