/**
 * Publishes Lead changes to the Switchboard telephony directory; all logic is in SwitchboardChangeHandler.
 */
trigger SwitchboardLeadTrigger on Lead(
  after insert,
  after update,
  after delete,
  after undelete
) {
  new SwitchboardChangeHandler(Lead.SObjectType).run();
}
