import { CodeAnalyzer, CodeAnalyzerConfig } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import { ApexParserFactory } from '@apexdevtools/apex-parser';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { XMLValidator } from 'fast-xml-parser';
test('probe', async () => {
  const p = ApexParserFactory.createParser('public class A {}');
  p.compilationUnit();
  expect(XMLValidator.validate('<a/>')).toBe(true);
  const cs = ComponentSet.fromSource('force-app');
  console.log(cs.size);
  const ca = new CodeAnalyzer(CodeAnalyzerConfig.withDefaults());
  await ca.addEnginePlugin(createEnginePlugin());
  const ws = await ca.createWorkspace(['/tmp/pmdprobe']);
  const sel = await ca.selectRules(['pmd:Recommended'], { workspace: ws });
  const res = await ca.run(sel, { workspace: ws });
  expect(res.getViolationCount()).toBeGreaterThan(0);
});
