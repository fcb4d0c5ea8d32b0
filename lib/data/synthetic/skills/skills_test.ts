import assert from "node:assert/strict";
import { seededRandom } from "../../seeded_random.ts";
import {
  additionItem,
  arithmeticSumItem,
  binomialItem,
  binomialSteps,
  cancelFactorItem,
  cancelSumItem,
  columnAddition,
  digitMultiplication,
  digitSumItem,
  equationCancelItem,
  equationSumItem,
  euclidSteps,
  lcmItem,
  linearEquationItem,
  longDivision,
  multiplicationItem,
  partialProducts,
  quotientOfMultipleItem,
  remainderOfMultipleItem,
  repeatedMultiplication,
  repeatedSquaring,
  runningDigitSum,
  skillList,
} from "./mod.ts";

Deno.test("columnAddition() writes each column's sum and the digits found so far", () => {
  assert.equal(columnAddition(47n, 85n), "7+5=12 -> 2; 4+8+1=13 -> 132.");
  assert.equal(columnAddition(905n, 98n), "5+8=13 -> 3; 0+9+1=10 -> 03; 9+1=10 -> 1003.");
  assert.equal(columnAddition(4n, 4n), "4+4=8 -> 8.");
  assert.equal(columnAddition(1234n, 5n), "4+5=9 -> 9; 3 -> 39; 2 -> 239; 1 -> 1239.");
  assert.equal(additionItem(47n, 85n).answer, 132n);
});

Deno.test("multiplication goes digit by digit for one-digit factors, else by partial products", () => {
  assert.equal(digitMultiplication(47n, 8), "7*8=56 -> 6; 4*8+5=37 -> 376.");
  assert.equal(partialProducts(47n, 36n), "47*36 = 47*30 + 47*6 = 1410 + 282 = 1692.");
  assert.equal(partialProducts(123n, 40n), "123*40 = 4920.");
  const item = multiplicationItem(8n, 47n);
  assert.equal(item.problem, "What is 8 * 47?");
  assert.equal(item.steps[0], "7*8=56 -> 6; 4*8+5=37 -> 376.");
  assert.equal(item.code, "print(8 * 47)");
});

Deno.test("longDivision() keeps the remainder one digit at a time from the first big enough prefix", () => {
  assert.equal(
    longDivision(47123n, 23n),
    "47 = 2*23 + 1; 11 = 0*23 + 11; 112 = 4*23 + 20; 203 = 8*23 + 19.",
  );
  assert.equal(47123n % 23n, 19n);
});

Deno.test("modular powers: repeated multiplication for small exponents, else repeated squaring", () => {
  assert.equal(repeatedMultiplication(7n, 3n, 10n), "Mod 10: 7*7=49 -> 9; 9*7=63 -> 3.");
  assert.equal(repeatedMultiplication(13n, 2n, 5n), "Mod 5: 13 -> 3; 3*3=9 -> 4.");
  assert.equal(
    repeatedSquaring(7n, 5n, 91n),
    "Mod 91: 7^2: 7*7=49 -> 49, 7^4: 49*49=2401 -> 35; 5=4+1: 7*35=245 -> 63.",
  );
  assert.equal(7n ** 5n % 91n, 63n);
});

Deno.test("gcd and lcm show Euclid's divisions, larger number first", () => {
  assert.equal(euclidSteps(36n, 84n), "84 = 2*36 + 12; 36 = 3*12 + 0");
  const lcm = lcmItem(12n, 18n);
  assert.equal(lcm.answer, 36n);
  assert.equal(lcm.steps[0], "18 = 1*12 + 6; 12 = 2*6 + 0; the gcd is 6, so lcm = 12*18/6 = 36.");
});

Deno.test("digit sums are running sums, of a power after its chain of products", () => {
  assert.equal(runningDigitSum(4821n), "4+8=12, 12+2=14, 14+1=15.");
  const power = digitSumItem({ base: 2, exp: 5 });
  assert.equal(power.problem, "What is the sum of the digits of 2^5?");
  assert.equal(power.steps[0], "2^2 = 4, 2^3 = 8, 2^4 = 16, 2^5 = 32. Digits: 3+2=5.");
  assert.equal(power.code, "print(sum(int(d) for d in str(2**5)))");
  assert.equal(power.answer, 5n);
});

Deno.test("binomials are running products of exact quotients, using the smaller k", () => {
  assert.deepEqual(binomialSteps(10, 3), {
    steps: "C(10, 3): 10/1 = 10, 10*9/2 = 45, 45*8/3 = 120.",
    value: 120n,
  });
  assert.equal(
    binomialItem(10, 7).steps[0],
    "C(10, 7) = C(10, 3). C(10, 3): 10/1 = 10, 10*9/2 = 45, 45*8/3 = 120.",
  );
});

Deno.test("linear equations move b across, then divide", () => {
  const plus = linearEquationItem(7n, 5n, 5n);
  assert.equal(plus.problem, "Solve for x: 7x + 5 = 40.");
  assert.equal(plus.steps[0], "7x = 40 - 5 = 35, so x = 35 / 7 = 5.");
  const minus = linearEquationItem(7n, 5n, -5n);
  assert.equal(minus.problem, "Solve for x: 7x - 5 = 30.");
  assert.equal(minus.steps[0], "7x = 30 + 5 = 35, so x = 35 / 7 = 5.");
  assert.equal(minus.code, "print((30 + 5) // 7)");
});

Deno.test("arithmetic sums add short sequences term by term, else use the formula", () => {
  const item = arithmeticSumItem(4n, 3n, 4n);
  assert.equal(
    item.problem,
    "What is the sum of the first 4 terms of the arithmetic sequence 3, 7, 11, ...?",
  );
  assert.deepEqual(item.steps, [
    "Terms: 3, 7, 11, 15. Sum: 3+7=10, 10+11=21, 21+15=36.",
    "Last term: 3 + 3*4 = 15. Sum: 4*(3 + 15)/2 = 4*18/2 = 36.",
  ]);
  assert.equal(arithmeticSumItem(10n, 3n, 4n).steps.length, 1);
});

Deno.test("one-fact skills name the fact and the short answer; the program repeats the long number", () => {
  const n = 48213957120n;
  assert.deepEqual(cancelFactorItem(n, 37n), {
    problem: "What is 48213957120 * 37 / 48213957120?",
    answer: 37n,
    steps: ["Multiplying by a number and dividing by the same number cancel out, leaving 37."],
    code: "print(48213957120 * 37 // 48213957120)",
    key: "cancelmul:48213957120:37",
  });
  const sum = cancelSumItem(n, 905n);
  assert.equal(sum.problem, "What is 48213957120 + 905 - 48213957120?");
  assert.equal(
    sum.steps[0],
    "Adding a number and subtracting the same number cancel out, leaving 905.",
  );
  assert.equal(sum.code, "print(48213957120 + 905 - 48213957120)");
  const rem = remainderOfMultipleItem(n, 12n, 805n);
  assert.equal(
    rem.problem,
    "What is the remainder when 48213957120 * 12 + 805 is divided by 48213957120?",
  );
  assert.equal(rem.answer, 805n);
  assert.equal(
    rem.steps[0],
    "The product is a multiple of the divisor, and 805 is less than the divisor, so the remainder is 805.",
  );
  assert.equal(rem.code, "print((48213957120 * 12 + 805) % 48213957120)");
  assert.throws(() => remainderOfMultipleItem(47n, 3n, 47n), /need 0 <= r < n/);
  const quotient = quotientOfMultipleItem(n, 12n, 805n);
  assert.equal(quotient.answer, 12n);
  assert.equal(
    quotient.steps[0],
    "The product is 12 times the divisor and the added term is less than the divisor, so the quotient is 12.",
  );
  assert.equal(quotient.code, "print((48213957120 * 12 + 805) // 48213957120)");
  assert.throws(() => quotientOfMultipleItem(47n, 3n, 50n), /need 0 <= r < n/);
  const product = equationCancelItem(n, 37n);
  assert.equal(product.problem, "Solve for x: 48213957120x = 48213957120 * 37.");
  assert.equal(product.steps[0], "Dividing both sides by the same number gives x = 37.");
  assert.equal(product.code, "print(48213957120 * 37 // 48213957120)");
  const sum2 = equationSumItem(n, 37n);
  assert.equal(sum2.problem, "Solve for x: x + 48213957120 = 48213957120 + 37.");
  assert.equal(sum2.steps[0], "Subtracting the same number from both sides gives x = 37.");
  assert.equal(sum2.code, "print(48213957120 + 37 - 48213957120)");
  assert.equal(sum2.answer, 37n);
});

Deno.test("every skill draws at levels 1-5 and refuses other levels", () => {
  const random = seededRandom(1);
  for (const skill of skillList) {
    assert.equal(skill.levels.length, 5);
    for (let level = 1; level <= 5; level++) {
      const item = skill.draw(level, random);
      assert.ok(item.steps.length > 0 && item.key.length > 0, skill.name);
    }
    assert.throws(() => skill.draw(0, random), /level must be 1-5/);
    assert.throws(() => skill.draw(6, random), /level must be 1-5/);
  }
});
