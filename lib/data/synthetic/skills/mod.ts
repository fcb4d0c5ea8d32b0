/**
 * The skills of the synthetic curriculum, each with five levels of difficulty.
 *
 * @module
 */
import type { Skill } from "../skill.ts";
import { addition } from "./addition.ts";
import { arithmeticSum } from "./arithmetic_sum.ts";
import { binomial } from "./binomial.ts";
import { cancelFactor } from "./cancel_factor.ts";
import { cancelSum } from "./cancel_sum.ts";
import { copySkill } from "./copy.ts";
import { digitSum } from "./digit_sum.ts";
import { equationCancel } from "./equation_cancel.ts";
import { equationSum } from "./equation_sum.ts";
import { gcdSkill } from "./gcd.ts";
import { lcm } from "./lcm.ts";
import { linearEquation } from "./linear_equation.ts";
import { modPower } from "./mod_power.ts";
import { multiplication } from "./multiplication.ts";
import { quotientOfMultiple } from "./quotient_of_multiple.ts";
import { remainder } from "./remainder.ts";
import { remainderOfMultiple } from "./remainder_of_multiple.ts";

export { additionItem, columnAddition } from "./addition.ts";
export { arithmeticSumItem } from "./arithmetic_sum.ts";
export { binomialItem, binomialSteps } from "./binomial.ts";
export { cancelFactorItem } from "./cancel_factor.ts";
export { cancelSumItem } from "./cancel_sum.ts";
export { copyItem } from "./copy.ts";
export { digitSumItem, powerChain, runningDigitSum } from "./digit_sum.ts";
export { equationCancelItem } from "./equation_cancel.ts";
export { equationSumItem } from "./equation_sum.ts";
export { euclidSteps, gcdItem } from "./gcd.ts";
export { lcmItem } from "./lcm.ts";
export { linearEquationItem } from "./linear_equation.ts";
export { modPowerItem, repeatedMultiplication, repeatedSquaring } from "./mod_power.ts";
export { digitMultiplication, multiplicationItem, partialProducts } from "./multiplication.ts";
export { quotientOfMultipleItem } from "./quotient_of_multiple.ts";
export { longDivision, remainderItem } from "./remainder.ts";
export { remainderOfMultipleItem } from "./remainder_of_multiple.ts";

/** Every skill, in the order reports list them. */
export const skillList: readonly Skill[] = [
  addition,
  multiplication,
  remainder,
  modPower,
  gcdSkill,
  lcm,
  digitSum,
  binomial,
  linearEquation,
  arithmeticSum,
  cancelFactor,
  cancelSum,
  remainderOfMultiple,
  quotientOfMultiple,
  equationCancel,
  equationSum,
];

/** Drills: skills outside the curriculum (and its splits' default mix), asked for by name. */
export const drillList: readonly Skill[] = [copySkill];

/** The skills and drills by name. */
export const skills: Readonly<Record<string, Skill>> = Object.fromEntries(
  [...skillList, ...drillList].map((s) => [s.name, s]),
);

/** The skill names, in order. */
export const SKILL_NAMES: readonly string[] = skillList.map((s) => s.name);
