// imsmanifest.xml for SCORM 2004 4th Edition.
// Sequencing: the learner may move freely (choice) or step through (flow).
// Only the quiz decides success: lessons do not roll up satisfaction or a
// measure, and the quiz's primary objective is satisfied by a normalized
// measure of at least the mastery score (0.8).
import { itemId, manifestId, objectiveId, organizationId, resourceId } from './identifiers.ts';
import { scormResources } from './manifest-scorm-resources.ts';
import type { PackagePlan, PlanItem } from './package-plan.ts';
import { escapeXml, indent } from './xml.ts';

const NAMESPACES = [
  'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"',
  'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"',
  'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"',
  'xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"',
  'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
  'xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd ' +
    'http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd ' +
    'http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd ' +
    'http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd ' +
    'http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd"',
];

function itemSequencing(plan: PackagePlan, item: PlanItem): string {
  if (item.kind === 'lesson') {
    return `<imsss:sequencing>
  <imsss:rollupRules rollupObjectiveSatisfied="false" objectiveMeasureWeight="0"/>
  <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
</imsss:sequencing>`;
  }
  return `<imsss:sequencing>
  <imsss:objectives>
    <imsss:primaryObjective objectiveID="${objectiveId(plan.module.slug, item.id)}" satisfiedByMeasure="true">
      <imsss:minNormalizedMeasure>${plan.masteryScore}</imsss:minNormalizedMeasure>
    </imsss:primaryObjective>
  </imsss:objectives>
  <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
</imsss:sequencing>`;
}

function item(plan: PackagePlan, entry: PlanItem): string {
  return `<item identifier="${itemId(entry.id)}" identifierref="${resourceId(entry.id)}">
  <title>${escapeXml(entry.title)}</title>
${indent(itemSequencing(plan, entry), 2)}
</item>`;
}

export function scorm2004Manifest(plan: PackagePlan): string {
  const slug = plan.module.slug;
  const org = organizationId(slug);
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${manifestId(slug)}" version="1"
  ${NAMESPACES.join('\n  ')}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="${org}">
    <organization identifier="${org}" adlseq:objectivesGlobalToSystem="false">
      <title>${escapeXml(plan.module.title)}</title>
${plan.items.map((i) => indent(item(plan, i), 6)).join('\n')}
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>
${scormResources(plan, 'adlcp:scormType')}
  </resources>
</manifest>
`;
}
