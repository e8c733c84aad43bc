import { expect } from 'chai';
import { choiceInteraction, scorm12Interaction, scorm2004Interaction, timespan12, timeInterval2004 } from '../../scripts/build-content/runtime/interaction.ts';

/** The interaction records the Q1 runtime writes, in each edition's own formats (RTE 1.2 §3.4.2.7, 2004 §4.2.9). */
describe('content runtime: interactions of quiz questions and knowledge checks', () => {
  const question = {
    id: 'megatrend-merkmale',
    question: 'Welche Merkmale kennzeichnen einen Megatrend?',
    type: 'multiple' as const,
    options: [
      { text: 'Jahrzehnte', correct: true, feedback: '' },
      { text: 'Eine Saison', correct: false, feedback: '' },
      { text: 'Weltweit', correct: true, feedback: '' },
    ],
  };
  const shown = new Date('2026-12-01T10:00:00.000Z');
  const answered = new Date('2026-12-01T10:01:02.345Z');

  it('names choices by their place in the source, whatever order they were shown in', () => {
    const i = choiceInteraction('abschlusstest', question, [2, 1], false, shown, answered);
    expect(i.choices.map((c) => c.id)).to.deep.equal(['a', 'b', 'c']);
    expect(i.correct).to.deep.equal(['a', 'c']);
    expect(i.response).to.deep.equal(['b', 'c']);
  });

  it('writes SCORM 2004 elements with id and type first, "[,]" lists and an ISO latency', () => {
    const pairs = scorm2004Interaction(3, choiceInteraction('abschlusstest', question, [0, 2], true, shown, answered));
    expect(pairs.slice(0, 2).map(([k]) => k)).to.deep.equal(['cmi.interactions.3.id', 'cmi.interactions.3.type']);
    expect(Object.fromEntries(pairs)).to.deep.include({
      'cmi.interactions.3.id': 'abschlusstest.megatrend-merkmale',
      'cmi.interactions.3.correct_responses.0.pattern': 'a[,]c',
      'cmi.interactions.3.learner_response': 'a[,]c',
      'cmi.interactions.3.result': 'correct',
      'cmi.interactions.3.latency': 'PT62.35S',
      'cmi.interactions.3.timestamp': '2026-12-01T10:00:00.00Z',
      'cmi.interactions.3.description': question.question,
    });
  });

  it('writes SCORM 1.2 elements with comma lists, "wrong" and an HHHH:MM:SS.SS latency', () => {
    const map = Object.fromEntries(scorm12Interaction(0, choiceInteraction('lektion-1', question, [1], false, shown, answered)));
    expect(map['cmi.interactions.0.student_response']).to.equal('b');
    expect(map['cmi.interactions.0.correct_responses.0.pattern']).to.equal('a,c');
    expect(map['cmi.interactions.0.result']).to.equal('wrong');
    expect(map['cmi.interactions.0.latency']).to.equal('0000:01:02.35');
    expect(map).to.not.have.property('cmi.interactions.0.description'); // not in the 1.2 data model
  });

  it('formats long and short durations', () => {
    expect(timespan12(3723.5)).to.equal('0001:02:03.50');
    expect(timespan12(0)).to.equal('0000:00:00.00');
    expect(timeInterval2004(0.004)).to.equal('PT0.00S');
  });
});
