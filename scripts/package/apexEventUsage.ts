import * as fs from 'node:fs';
import {
  ApexParseTreeWalker,
  ApexParserBaseListener,
  ArrayExpressionContext,
  AssignExpressionContext,
  CompilationUnitContext,
  CreatorContext,
  DotExpressionContext,
  EnhancedForControlContext,
  ExpressionContext,
  FieldDeclarationContext,
  FormalParameterContext,
  IdPrimaryContext,
  LiteralPrimaryContext,
  LocalVariableDeclarationContext,
  NewExpressionContext,
  PrimaryExpressionContext,
  VariableDeclaratorsContext,
  type ApexParserRuleContext,
} from '@apexdevtools/apex-parser';
import { parseApex, unitKindOf } from './apexParse';
import { displayPath } from './paths';

/**
 * Reads, from the Apex parse tree, which fields of a platform event the code sets, so the test can
 * hold them against the event's field files. Four ways of setting a field are recognised:
 * `new Ev__e(F__c = x)`, `ev.F__c = x`, `ev.put('F__c', x)` and `evs[i].F__c = x`, where `ev` is a
 * variable, field or parameter declared as the event type (or as anything, initialised with
 * `new Ev__e(...)`) and `evs` one declared as a list or array of it. Scoping is per file, not per
 * block: good enough for classes that name their variables sensibly.
 */

export interface ParsedApexFile {
  file: string;
  tree: ApexParserRuleContext;
  /** A class annotated @IsTest: its events are fixtures, not what the package publishes. */
  isTest: boolean;
}

export interface SourceLocation {
  file: string;
  line: number;
}

export interface EventUsage {
  /** Where `new <Event>(...)` appears. */
  constructed: SourceLocation[];
  /** Every field set, with where (field names as written in the code). */
  fieldsSet: Array<SourceLocation & { field: string }>;
}

const lower = (s: string): string => s.toLowerCase();

export function parseApexFiles(files: readonly string[]): ParsedApexFile[] {
  return files.map((file) => {
    const { tree, problems } = parseApex(fs.readFileSync(file, 'utf8'), unitKindOf(file));
    if (problems.length > 0) {
      const first = problems[0];
      throw new Error(
        `${displayPath(file)}:${first.line}:${first.column} does not parse (${first.message}); fix the syntax first`,
      );
    }
    return { file, tree, isTest: isTestClass(tree) };
  });
}

function isTestClass(tree: ApexParserRuleContext): boolean {
  if (!(tree instanceof CompilationUnitContext)) return false;
  return tree
    .typeDeclaration()
    .modifier_list()
    .some((modifier) => lower(modifier.annotation()?.id().getText() ?? '') === 'istest');
}

/** The simple variable name an expression stands for, if it is one (`ev`, not `a.ev` or `ev()`). */
function variableName(expression: ExpressionContext | null | undefined): string | undefined {
  if (!(expression instanceof PrimaryExpressionContext)) return undefined;
  const primary = expression.primary();
  return primary instanceof IdPrimaryContext ? primary.id().getText() : undefined;
}

function stringLiteral(expression: ExpressionContext | null | undefined): string | undefined {
  if (!(expression instanceof PrimaryExpressionContext)) return undefined;
  const primary = expression.primary();
  if (!(primary instanceof LiteralPrimaryContext)) return undefined;
  const token = primary.literal().StringLiteral();
  return token ? unquoteApexString(token.getText()) : undefined;
}

/** Apex string literal text (single quotes, backslash escapes) to its value. */
export function unquoteApexString(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, (_match, ch: string) => ({ n: '\n', t: '\t', r: '\r' })[ch] ?? ch);
}

function createsEvent(creator: CreatorContext, eventName: string): boolean {
  return lower(creator.createdName().getText()) === lower(eventName);
}

interface EventVariables {
  /** Names that hold one event. */
  single: Set<string>;
  /** Names that hold a list or array of them. */
  lists: Set<string>;
}

/** Pass one: the names that hold an event, or a list of events. */
function eventVariables(tree: ApexParserRuleContext, eventName: string): EventVariables {
  const names = new Set<string>();
  const lists = new Set<string>();
  const isEventType = (typeText: string): boolean => lower(typeText) === lower(eventName);
  const isEventList = (typeText: string): boolean =>
    [`list<${lower(eventName)}>`, `${lower(eventName)}[]`].includes(lower(typeText));
  const addDeclarators = (typeText: string, declarators: VariableDeclaratorsContext): void => {
    for (const declarator of declarators.variableDeclarator_list()) {
      const init = declarator.expression();
      const initialisedWithEvent = init instanceof NewExpressionContext && createsEvent(init.creator(), eventName);
      if (isEventType(typeText) || initialisedWithEvent) names.add(lower(declarator.id().getText()));
      if (isEventList(typeText)) lists.add(lower(declarator.id().getText()));
    }
  };
  const listener = new ApexParserBaseListener();
  Object.assign(listener, {
    enterLocalVariableDeclaration: (ctx: LocalVariableDeclarationContext) =>
      addDeclarators(ctx.typeRef().getText(), ctx.variableDeclarators()),
    enterFieldDeclaration: (ctx: FieldDeclarationContext) =>
      addDeclarators(ctx.typeRef().getText(), ctx.variableDeclarators()),
    enterFormalParameter: (ctx: FormalParameterContext) => {
      if (isEventType(ctx.typeRef().getText())) names.add(lower(ctx.id().getText()));
      if (isEventList(ctx.typeRef().getText())) lists.add(lower(ctx.id().getText()));
    },
    enterEnhancedForControl: (ctx: EnhancedForControlContext) => {
      if (isEventType(ctx.typeRef().getText())) names.add(lower(ctx.id().getText()));
    },
  });
  ApexParseTreeWalker.DEFAULT.walk(listener, tree);
  return { single: names, lists };
}

/** Where the given files construct `eventName` and which of its fields they set. */
export function eventUsageIn(files: readonly ParsedApexFile[], eventName: string): EventUsage {
  const usage: EventUsage = { constructed: [], fieldsSet: [] };
  for (const { file, tree } of files) {
    const variables = eventVariables(tree, eventName);
    const named = (set: Set<string>, expression: ExpressionContext | null | undefined): boolean => {
      const name = variableName(expression);
      return name !== undefined && set.has(lower(name));
    };
    // `ev`, or `evs[i]` of a list of events.
    const isEventVariable = (expression: ExpressionContext | null | undefined): boolean =>
      named(variables.single, expression) ||
      (expression instanceof ArrayExpressionContext && named(variables.lists, expression.expression(0)));
    const at = (ctx: ApexParserRuleContext): SourceLocation => ({ file: displayPath(file), line: ctx.start.line });
    const listener = new ApexParserBaseListener();
    Object.assign(listener, {
      enterCreator: (ctx: CreatorContext) => {
        if (!createsEvent(ctx, eventName)) return;
        usage.constructed.push(at(ctx));
        const args = ctx.classCreatorRest()?.arguments().expressionList()?.expression_list() ?? [];
        for (const arg of args) {
          if (!(arg instanceof AssignExpressionContext) || !arg.ASSIGN()) continue;
          const field = variableName(arg.expression(0));
          if (field) usage.fieldsSet.push({ ...at(arg), field });
        }
      },
      enterAssignExpression: (ctx: AssignExpressionContext) => {
        const target = ctx.expression(0);
        if (
          !(target instanceof DotExpressionContext) ||
          target.dotMethodCall() ||
          !isEventVariable(target.expression())
        )
          return;
        usage.fieldsSet.push({ ...at(ctx), field: target.anyId().getText() });
      },
      enterDotExpression: (ctx: DotExpressionContext) => {
        const call = ctx.dotMethodCall();
        if (!call || lower(call.anyId().getText()) !== 'put' || !isEventVariable(ctx.expression())) return;
        const field = stringLiteral(call.expressionList()?.expression(0));
        if (field) usage.fieldsSet.push({ ...at(ctx), field });
      },
    });
    ApexParseTreeWalker.DEFAULT.walk(listener, tree);
  }
  return usage;
}
