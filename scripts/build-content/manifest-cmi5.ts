// cmi5.xml (cmi5 Quartz, course structure): one AU per lesson plus the quiz AU.
// Lessons move on when completed; the quiz needs completed and passed with the
// mastery score, which the LMS hands back to the AU at launch.
import { auId, type PackagePlan, type PlanItem } from './package-plan.ts';
import { escapeXml, indent } from './xml.ts';

const NS = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';

function langstrings(tag: string, de: string, en?: string): string {
  const en_ = en ? `\n  <langstring lang="en-US">${escapeXml(en)}</langstring>` : '';
  return `<${tag}>\n  <langstring lang="de-DE">${escapeXml(de)}</langstring>${en_}\n</${tag}>`;
}

function au(plan: PackagePlan, item: PlanItem): string {
  const moveOn = item.kind === 'quiz' ? `moveOn="CompletedAndPassed" masteryScore="${plan.masteryScore}"` : 'moveOn="Completed"';
  return `<au id="${escapeXml(auId(plan.module.id, item.id))}" ${moveOn} launchMethod="AnyWindow">
${indent(langstrings('title', item.title), 2)}
${indent(langstrings('description', item.description), 2)}
  <url>${escapeXml(item.href)}</url>
</au>`;
}

export function cmi5Xml(plan: PackagePlan): string {
  const { module } = plan;
  return `<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="${NS}">
  <course id="${escapeXml(module.id)}">
${indent(langstrings('title', module.title, module.titleEn), 4)}
${indent(langstrings('description', module.description), 4)}
  </course>
${plan.items.map((item) => indent(au(plan, item), 2)).join('\n')}
</courseStructure>
`;
}
